#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the pinned clients of tests/clients (package.json + package-lock.json) with `npm ci` into
# DEST (outside the source tree; the tests use <build>/clients-node). Idempotent: a stamp holding the
# lock file's hash and the node version skips the install when nothing changed. Safe to run from
# several tests at once (flock on DEST.lock).
# Exit status: 0 installed, 77 npm or the npm registry cannot be reached (the reason on stdout,
# starting with "SKIP:"), anything else a real failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install-clients.sh DEST}

command -v node >/dev/null 2>&1 || { echo "SKIP: node is not installed (make deps installs it)"; exit 77; }
command -v npm >/dev/null 2>&1 || { echo "SKIP: npm is not installed (make deps installs it)"; exit 77; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
    # Debian 12's own nodejs is 18: the pinned clients cannot run there. Say so and skip, not pass.
    echo "SKIP: the pinned clients need Node.js >= 20 (pi-ai's engines field), this is $(node --version)"
    exit 77
fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd) # the install cds into it; a relative DEST must still work
exec 9>"$dest.lock"
flock 9

# The client scripts live beside node_modules: ES modules resolve packages from their own folder.
cp "$here"/*.mjs "$dest/"

stamp="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1) $(node --version)"
if [ -f "$dest/.installed" ] && [ "$(cat "$dest/.installed")" = "$stamp" ]; then
    exit 0
fi
cd "$dest" || exit 1
# Tests started together (one CTest per client) learn from the first that the registry is away.
if [ -n "$(find .unreachable -mmin -10 2>/dev/null)" ]; then
    cat .unreachable
    exit 77
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
rm -f .installed .unreachable
# --ignore-scripts: nothing the tests use needs an install script (the Codex binary comes as an
# optional dependency), and npm 9 and 11 then behave alike.
if npm ci --no-audit --no-fund --ignore-scripts --fetch-retries=1 >npm-ci.log 2>&1; then
    echo "$stamp" >.installed
    exit 0
fi
# Offline? Then the npm cache may still hold everything.
if npm ci --offline --no-audit --no-fund --ignore-scripts >>npm-ci.log 2>&1; then
    echo "$stamp" >.installed
    exit 0
fi
if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network|ENOTCACHED' npm-ci.log; then
    echo "SKIP: the npm registry cannot be reached ($(npm config get registry)); see $dest/npm-ci.log" | tee .unreachable
    exit 77
fi
echo "FAIL: npm ci failed; see $dest/npm-ci.log"
tail -20 npm-ci.log
exit 1
