#!/bin/sh
# SPDX-License-Identifier: MIT
# .ci/check-spec-tests passes on the repository and fails, naming the reference, on a spec whose
# scenario names a test slot that does not exist (a renamed, moved or deleted test).
set -eu
src=${1:?usage: tst_checkspectests.sh SOURCE_DIR}
"$src/.ci/check-spec-tests" "$src" >/dev/null || { echo "FAIL: the repository's own specs do not pass"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/openspec/specs/demo" "$tmp/tests"
printf 'class tst_Demo final : public QObject\n{\nprivate slots:\n    void realSlot();\n};\n' >"$tmp/tests/tst_demo.cpp"
printf -- '- Test: `tst_Demo::realSlot`\n' >"$tmp/openspec/specs/demo/spec.md"
"$src/.ci/check-spec-tests" "$tmp" >/dev/null || { echo "FAIL: an existing slot was reported missing"; exit 1; }
printf -- '- Test: `tst_Demo::renamedSlot`\n' >>"$tmp/openspec/specs/demo/spec.md"
if out=$("$src/.ci/check-spec-tests" "$tmp"); then
    echo "FAIL: a missing slot passed"; exit 1
fi
echo "$out" | grep -q 'openspec/specs/demo/spec.md:2: no test slot tst_Demo::renamedSlot' || { echo "FAIL: $out"; exit 1; }
echo "PASS"
