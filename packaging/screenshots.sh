#!/bin/sh
# Saves a PNG of every console page into packaging/screenshots/ (README, AppStream metadata):
# demo keys and traffic through a local fake upstream, then Keygate in a real X window under Xvfb;
# then the Overview in dark mode (07-dark-overview.png) and an empty data dir's Get started (00-get-started.png).
# Usage: packaging/screenshots.sh [BUILD_DIR] [OUT_DIR]   (needs xvfb-run, curl; run `make build` first)
set -eu
BUILD="${1:-build}"
OUT="$(realpath -m "${2:-packaging/screenshots}")"
KEYGATE="$(realpath "$BUILD/app/keygate")"
UPSTREAM="$(realpath "$BUILD/tests/bench/bench_upstream")"
UP_PORT=18190 KG_PORT=18191
WORK="$(mktemp -d /tmp/keygate-shots.XXXXXX)"
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

# A private HOME and data dir: no real keychain, config or autostart entry is touched.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_RUNTIME_DIR="$WORK/run"
export KEYGATE_DATA_DIR="$WORK/data" KEYGATE_SECRETS=file DEMO_UPSTREAM_TOKEN=demo-upstream-token
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

"$UPSTREAM" $UP_PORT >/dev/null 2>&1 & PIDS="$PIDS $!"
PI="$("$KEYGATE" keys create --name pi-laptop --note "Pi on the laptop" | tail -n 1)"
CODEX="$("$KEYGATE" keys create --name codex-desktop | tail -n 1)"
"$KEYGATE" keys create --name ci-runner --expires 2027-06-30T00:00:00Z >/dev/null
"$KEYGATE" keys disable ci-runner >/dev/null
OLD="$("$KEYGATE" keys create --name old-tablet | tail -n 1)"
"$KEYGATE" keys disable old-tablet >/dev/null
# ~64 % used after the demo traffic below (30 requests × 17 tokens): the Limits column shows it.
"$KEYGATE" keys limit pi-laptop add --type tokens --window day --max 800 >/dev/null
"$KEYGATE" upstream set --kind codex --base-url "http://127.0.0.1:$UP_PORT" --account-id demo-account \
    --token-env DEMO_UPSTREAM_TOKEN >/dev/null
DEMO_BACKUP_KEY=sk-demo-backup "$KEYGATE" accounts add-openai --name backup --base-url https://api.example.com/v1 \
    --token-env DEMO_BACKUP_KEY >/dev/null
"$KEYGATE" accounts pause backup >/dev/null
"$KEYGATE" settings set listen "127.0.0.1:$KG_PORT" >/dev/null

# Demo traffic through `serve`, so the usage page and the trace history have something to show.
"$KEYGATE" serve >"$WORK/serve.out" 2>"$WORK/serve.err" & SERVE=$!
for _ in $(seq 50); do grep -q listening "$WORK/serve.out" && break; sleep 0.1; done
JWT="eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwaSJ9.c2lnbmF0dXJl"
post() { curl -s -o /dev/null "http://127.0.0.1:$KG_PORT/backend-api/codex/responses" \
    -H 'Content-Type: application/json' "$@" -d '{"model":"gpt-5.4","stream":true,"input":[]}' || true; }
for i in $(seq 24); do post -H "Authorization: Bearer $JWT" -H "x-api-key: $PI"; done
for i in $(seq 15); do post -H "Authorization: Bearer $CODEX"; done
for i in $(seq 3); do post -H "x-api-key: $OLD"; done
for i in $(seq 2); do post -H "Authorization: Bearer sk-kg-unknownunknownunknownunknownunknown12345"; done
post
kill -TERM $SERVE; wait $SERVE 2>/dev/null || true

# The console itself (it loads the history above), then a little live traffic while it runs.
(sleep 2; for i in $(seq 6); do post -H "Authorization: Bearer $JWT" -H "x-api-key: $PI"; done) & PIDS="$PIDS $!"
rm -f "$OUT"/*.png
shoot() { KEYGATE_SCREENSHOTS="$1" KEYGATE_SCREENSHOTS_SETTLE_MS="$2" \
    xvfb-run -a -s "-screen 0 1366x768x24" "$KEYGATE"; }
shoot "$OUT" 3500

# The Overview again in dark mode (KEYGATE_COLOR_SCHEME=dark: Fusion with a dark palette).
KEYGATE_COLOR_SCHEME=dark shoot "$WORK/dark" 1500
mv "$WORK/dark/00-overview.png" "$OUT/07-dark-overview.png"

# A new user's first window: an empty data dir opens on the Get started checklist.
export KEYGATE_DATA_DIR="$WORK/empty"
"$KEYGATE" settings set listen "127.0.0.1:$KG_PORT" >/dev/null
shoot "$WORK/empty-shots" 1500
mv "$WORK/empty-shots/00-start.png" "$OUT/00-get-started.png"
ls -1 "$OUT"/*.png
