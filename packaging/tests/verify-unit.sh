#!/bin/sh
# `systemd-analyze verify --user` on the user unit, with its bare ExecStart pointed at this build's binary
# (verify needs the executable) and the built man page on MANPATH (verify runs `man` for Documentation=).
# It runs here without a running user manager; verify only warns about a bad value, so any message fails.
# Usage: verify-unit.sh SYSTEMD_ANALYZE UNIT KEYGATE MAN_PAGE
set -eu
analyze=$1 unit=$2 keygate=$3 manpage=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run" "$work/man/man1" "$work/unit"
chmod 700 "$work/run"
cp "$manpage" "$work/man/man1/keygate.1"
sed "s|^ExecStart=keygate |ExecStart=$keygate |" "$unit" >"$work/unit/keygate.service"
grep -q "^ExecStart=$keygate serve\$" "$work/unit/keygate.service" || { echo "verify-unit: no ExecStart=keygate serve in $unit" >&2; exit 1; }
cd "$work/unit"
XDG_RUNTIME_DIR="$work/run" MANPATH="$work/man" "$analyze" verify --user ./keygate.service >"$work/out" 2>&1 || status=$?
cat "$work/out"
[ "${status:-0}" -eq 0 ] && [ ! -s "$work/out" ] && echo "verify-unit: systemd-analyze verify --user: no findings"
