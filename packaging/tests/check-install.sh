#!/bin/sh
# `cmake --install` into a temporary prefix ships the whole layout (one app id everywhere), and the
# installed binary reads the prefix's share/keygate/pricing.json, not the build or source tree's.
# Usage: check-install.sh BUILD_DIR APP_ID
set -eu
build=$1 id=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
failed=0
fail() { echo "check-install: $*" >&2; failed=1; }

for file in bin/keygate share/keygate/pricing.json share/icons/hicolor/scalable/apps/$id.svg \
    share/applications/$id.desktop share/metainfo/$id.metainfo.xml lib/systemd/user/keygate.service \
    share/man/man1/keygate.1.gz share/bash-completion/completions/keygate \
    share/doc/keygate/copyright share/doc/keygate/changelog.gz; do
    [ -f "$prefix/$file" ] || fail "$file is not installed"
done
for size in 16 22 24 32 48 64 128 256; do
    png=$prefix/share/icons/hicolor/${size}x$size/apps/$id.png
    file "$png" | grep -q "PNG image data, $size x $size," || fail "$png is not a $size px PNG"
done
grep -qx "Icon=$id" "$prefix/share/applications/$id.desktop" || fail "the desktop entry's Icon is not $id"
grep -q "<id>$id</id>" "$prefix/share/metainfo/$id.metainfo.xml" || fail "the metainfo id is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$prefix/share/metainfo/$id.metainfo.xml" ||
    fail "the metainfo does not launch $id.desktop"
[ -f "$build/share/keygate/pricing.json" ] || fail "the build tree has no share/keygate/pricing.json"

# A broken pricing table in the prefix must stop the installed binary, naming that very file.
echo '{ broken' >"$prefix/share/keygate/pricing.json"
export HOME="$prefix/home" KEYGATE_DATA_DIR="$prefix/data" KEYGATE_SECRETS=file
if timeout 20 "$prefix/bin/keygate" serve --listen 127.0.0.1:0 >"$prefix/out" 2>&1; then
    fail "the installed keygate served with a broken share/keygate/pricing.json"
fi
grep -q "$prefix/share/keygate/pricing.json" "$prefix/out" || { cat "$prefix/out"; fail "the error does not name the prefix's pricing.json"; }
[ "$failed" -eq 0 ] && echo "check-install: the layout is complete and the installed binary reads its prefix"
exit "$failed"
