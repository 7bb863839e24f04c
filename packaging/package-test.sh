#!/bin/sh
# `make package-test`: lintian on the .deb, then the real install test. A minimal Debian 12 root made by
# debootstrap (cached in $KEYGATE_DEBOOTSTRAP_CACHE) is copied, the .deb is installed into the copy with
# `apt-get install --no-install-recommends ./keygate_….deb` (so Depends alone, resolved from the archive,
# must be enough), and the installed keygate runs there: --version, keys create, serve + /health, the
# console under QT_QPA_PLATFORM=offscreen until SIGTERM, and the shipped pricing table really being read.
# Needs root (debootstrap, chroot, mount) and the Debian mirror. Usage: packaging/package-test.sh BUILD_DIR
set -eu
BUILD=$(realpath "${1:?usage: package-test.sh BUILD_DIR}")
CACHE=${KEYGATE_DEBOOTSTRAP_CACHE:-/var/cache/keygate-debootstrap}
MIRROR=${KEYGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
DEB="$BUILD/keygate_${VERSION}_amd64.deb"
[ -f "$DEB" ] || { echo "package-test: $DEB not found (make package first)" >&2; exit 2; }
started=$(date +%s)
step() { echo "package-test [$(($(date +%s) - started)) s]: $*"; }

# lintian: no errors. Kept warnings are listed, with the reason, in packaging/README.md.
step "lintian $(basename "$DEB")"
lintian --fail-on error "$DEB"

# The pristine root, made once: debootstrap into a temporary folder, renamed only when it succeeded.
if [ ! -x "$CACHE/bookworm/usr/bin/apt-get" ]; then
    step "debootstrap --variant=minbase bookworm $CACHE/bookworm $MIRROR"
    rm -rf "$CACHE/bookworm.tmp"
    mkdir -p "$CACHE"
    debootstrap --variant=minbase bookworm "$CACHE/bookworm.tmp" "$MIRROR" >"$CACHE/debootstrap.log"
    mv "$CACHE/bookworm.tmp" "$CACHE/bookworm"
fi

WORK=$(mktemp -d /var/tmp/keygate-package-test.XXXXXX)
ROOT="$WORK/root"
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for m in "$ROOT/var/cache/apt/archives" "$ROOT/dev" "$ROOT/proc"; do
        mountpoint -q "$m" && umount -l "$m"
    done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
step "copy the cached root"
cp -a "$CACHE/bookworm" "$ROOT"
mkdir -p "$CACHE/archives/partial" # downloaded .debs are kept between runs
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind "$CACHE/archives" "$ROOT/var/cache/apt/archives"
echo 'force-unsafe-io' >"$ROOT/etc/dpkg/dpkg.cfg.d/keygate-test" # no fsync: this root is thrown away
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cat >"$ROOT/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${KEYGATE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security} bookworm-security main
SOURCES
cp "$DEB" "$ROOT/tmp/"
# chroot execs env execs the command: a background one's $! is the process itself, to signal.
in_root() { chroot "$ROOT" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@"; }
in_root_bg() { chroot "$ROOT" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 "$@" & }

step "apt-get install --no-install-recommends ./$(basename "$DEB")"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" >"$WORK/apt.log" ||
    { cat "$WORK/apt.log"; exit 1; }
kg() { in_root keygate --secrets file --data-dir /root/kg "$@"; }
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }

step "keygate --version"
[ "$(in_root keygate --version)" = "keygate $VERSION" ] || fail "keygate --version is not \"keygate $VERSION\""

step "keygate --secrets file keys create --name t"
key=$(kg keys create --name t | tail -n 1)
echo "$key" | grep -Eq '^sk-kg-[A-Za-z0-9_-]{20,}$' || fail "keys create printed \"$key\", not a key"

step "keygate --secrets file serve --listen 127.0.0.1:0, then GET /health"
in_root_bg keygate --secrets file --data-dir /root/kg serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err"
PIDS="$PIDS $!" SERVE=$!
for _ in $(seq 100); do grep -q 'listening on' "$WORK/serve.out" && break; sleep 0.1; done
address=$(sed -n 's|^listening on http://||p' "$WORK/serve.out")
[ -n "$address" ] || { cat "$WORK/serve.err"; fail "serve did not listen"; }
curl -fsS "http://$address/health" | tee "$WORK/health" && echo
[ -s "$WORK/health" ] || fail "/health gave an empty answer"
kill -TERM "$SERVE"
wait "$SERVE" || fail "serve did not exit 0 on SIGTERM"

step "the console under QT_QPA_PLATFORM=offscreen: its proxy answers, SIGTERM ends it with status 0, plugins load"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
kg settings set listen "127.0.0.1:$port" >/dev/null
in_root_bg env QT_QPA_PLATFORM=offscreen QT_DEBUG_PLUGINS=1 keygate --secrets file --data-dir /root/kg >"$WORK/console.out" 2>&1
PIDS="$PIDS $!" CONSOLE=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:$port/health" || { cat "$WORK/console.out"; fail "the console's proxy never answered"; }
# The plugins only Depends brings (the linker cannot see them) are loaded: the platform, the SQLite
# driver, the SVG icon engine (the window's icons); then SIGTERM.
loaded() { grep -q "plugins/$1\" loaded library" "$WORK/console.out"; }
for plugin in platforms/libqoffscreen.so sqldrivers/libqsqlite.so iconengines/libqsvgicon.so; do
    for _ in $(seq 100); do loaded "$plugin" && break; sleep 0.1; done
    loaded "$plugin" || { cat "$WORK/console.out"; fail "the console did not load $plugin"; }
done
kill -0 "$CONSOLE" || fail "the console is not running"
kill -TERM "$CONSOLE"
wait "$CONSOLE" || { cat "$WORK/console.out"; fail "the console did not exit 0 on SIGTERM"; }
# QtKeychain opens libsecret at run time: Depends must have brought it too.
in_root ldconfig -p | grep -q 'libsecret-1\.so\.0 ' || fail "libsecret-1.so.0 is not installed"

step "the installed pricing table is the one read: a broken /usr/share/keygate/pricing.json stops serve"
cp "$ROOT/usr/share/keygate/pricing.json" "$WORK/pricing.json"
echo '{ broken' >"$ROOT/usr/share/keygate/pricing.json"
if in_root timeout 20 keygate --secrets file --data-dir /root/kg serve --listen 127.0.0.1:0 >"$WORK/broken.out" 2>&1; then fail "serve started with a broken pricing table"; fi
grep -q /usr/share/keygate/pricing.json "$WORK/broken.out" || { cat "$WORK/broken.out"; fail "the error does not name the file"; }
cp "$WORK/pricing.json" "$ROOT/usr/share/keygate/pricing.json"

step "done: installed into a fresh Debian 12 root and ran there"
