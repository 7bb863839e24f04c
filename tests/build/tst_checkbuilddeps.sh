#!/bin/sh
# The package check that `make test` runs must pass with the Makefile's list and must name the package
# to add when one is missing (libqt6opengl6-dev: Qt6Charts loads Qt6OpenGL, and qt6-charts-dev does not
# depend on it, which once broke `make test` on a fresh Debian 12).
set -eu
source_dir=${1:?source dir}
build_dir=${2:?build dir}
debs=$(make -s -C "$source_dir" print-debs)
"$source_dir/.ci/check-build-deps" "$build_dir" $debs
without=$(echo " $debs " | sed 's/ libqt6opengl6-dev / /')
if out=$("$source_dir/.ci/check-build-deps" "$build_dir" $without 2>&1); then
    echo "FAIL: the check passed without libqt6opengl6-dev"; exit 1
fi
echo "$out" | grep -q "add libqt6opengl6-dev to DEBS" || { echo "FAIL: no package named: $out"; exit 1; }
echo "PASS: a missing libqt6opengl6-dev is named"
