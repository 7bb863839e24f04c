#!/bin/sh
# Benchmark (b): latency and throughput Keygate adds over calling the upstream directly, measured
# with wrk on keep-alive connections, for a small JSON response and an SSE stream; nginx doing the
# same job (dual-header key gate + proxy_pass, unbuffered) is measured alongside when installed.
# Also: peak RSS of Keygate while holding 1,000 concurrent SSE streams.
# Usage: tests/bench/run-bench.sh [BUILD_DIR]   (loopback only; every run is bounded in time)
set -eu
BUILD="${1:-build}"
KEYGATE="$BUILD/app/keygate"
UPSTREAM_BIN="$BUILD/tests/bench/bench_upstream"
DURATION="${BENCH_DURATION:-10s}"
CONNS="${BENCH_CONNECTIONS:-64}"
UP_PORT=18080 KG_PORT=18081 NGINX_PORT=18082
WORK="$(mktemp -d /tmp/keygate-bench.XXXXXX)"
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null || true

"$UPSTREAM_BIN" $UP_PORT >"$WORK/upstream.log" 2>&1 & PIDS="$PIDS $!"
export KEYGATE_DATA_DIR="$WORK/data" KEYGATE_SECRETS=file BENCH_UPSTREAM_TOKEN=bench-upstream-token
KEY="$("$KEYGATE" keys create --name bench | tail -n 1)"
"$KEYGATE" upstream set --kind codex --base-url "http://127.0.0.1:$UP_PORT" --token-env BENCH_UPSTREAM_TOKEN >/dev/null
"$KEYGATE" serve --listen "127.0.0.1:$KG_PORT" >"$WORK/keygate.out" 2>"$WORK/keygate.err" & KG_PID=$!; PIDS="$PIDS $KG_PID"

NGINX=""
if command -v nginx >/dev/null 2>&1; then
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<NGX
worker_processes 1; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log;
events { worker_connections 8192; }
http {
  access_log off; map_hash_bucket_size 256;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 256; }
  map \$http_authorization \$bearer_ok { "Bearer $KEY" 1; default 0; }
  map "\$bearer_ok:\$http_x_api_key" \$allowed { "~^1:" 1; "0:$KEY" 1; default 0; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      if (\$allowed = 0) { return 401 '{"error":{"message":"Invalid API key","type":"authentication_error","code":"invalid_api_key"}}'; }
      proxy_pass http://up/codex/responses;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer bench-upstream-token";
      proxy_set_header x-api-key "";
      proxy_buffering off;
    }
  }
}
NGX
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' & PIDS="$PIDS $!"; NGINX=1
fi

for i in $(seq 1 50); do grep -q "listening on" "$WORK/keygate.out" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$WORK/keygate.out" || { echo "keygate did not start:"; cat "$WORK/keygate.err"; exit 1; }

for stream in false true; do
  cat >"$WORK/post-$stream.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"gpt-5.4","stream":$stream,"store":false,"input":[]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer eyJhbGciOiJub25lIn0=.eyJwIjoxfQ==.sig"
wrk.headers["x-api-key"] = "$KEY"
LUA
done

# Prints "rps p50_us p99_us" for one wrk run: $1 url, $2 script, $3 connections, $4 threads.
measure() {
  wrk -t"$4" -c"$3" -d"$DURATION" --latency -s "$2" "$1" >"$WORK/wrk.txt" 2>&1 || true
  awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1e6; return v }
    /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } /^Requests\/sec/ { rps = $2 }
    END { printf "%s %s %s\n", rps+0, p50+0, p99+0 }' "$WORK/wrk.txt"
}

# Latency is measured on one keep-alive connection (what one agent sees); throughput at $CONNS.
row() { # kind target url script direct_p50 direct_rps
  set -- "$1" "$2" $(measure "$3" "$4" 1 1) $(measure "$3" "$4" "$CONNS" 2) "${5:-}" "${6:-}"
  printf '%-6s %-8s %10s %10s %12s %10s %10s\n' "$1" "$2" "$4" "$5" "$6" \
    "$(awk -v a="$4" -v b="${9:-$4}" 'BEGIN{printf "%.0f", a-b}')" "$(awk -v a="$6" -v b="${10:-$6}" 'BEGIN{printf "%.2f", a/b}')"
  echo "$4 $6" >"$WORK/last-row"
}
printf '%-6s %-8s %10s %10s %12s %10s %10s\n' kind target p50_us p99_us "req/s@$CONNS" added_us thr_ratio
for kind in json sse; do
  lua="$WORK/post-false.lua"; [ "$kind" = sse ] && lua="$WORK/post-true.lua"
  row "$kind" direct "http://127.0.0.1:$UP_PORT/codex/responses" "$lua"
  read -r d_p50 d_rps <"$WORK/last-row"
  row "$kind" keygate "http://127.0.0.1:$KG_PORT/backend-api/codex/responses" "$lua" "$d_p50" "$d_rps"
  [ -n "$NGINX" ] && row "$kind" nginx "http://127.0.0.1:$NGINX_PORT/backend-api/codex/responses" "$lua" "$d_p50" "$d_rps"
done

# 1,000 concurrent SSE streams, each 10 events 500 ms apart: peak RSS of the keygate process.
cat >"$WORK/slow.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"gpt-5.4","stream":true,"bench_delay_ms":500,"input":[]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = "$KEY"
LUA
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$KG_PID/status)
wrk -t2 -c1000 -d12s --timeout 20s -s "$WORK/slow.lua" "http://127.0.0.1:$KG_PORT/v1/responses" >"$WORK/wrk-slow.txt" 2>&1 || true
rss_peak=$(awk '/VmHWM/ {print $2}' /proc/$KG_PID/status)
echo "1000 concurrent SSE streams: keygate RSS before ${rss_before} kB, peak ${rss_peak} kB ($(awk -v k="$rss_peak" 'BEGIN{printf "%.1f", k/1024}') MB); $(grep -E 'requests in' "$WORK/wrk-slow.txt" | sed 's/^ *//')"

# The console under load: GUI event-loop stalls while the embedded proxy serves ~200 requests/s.
"$BUILD/tests/bench/bench_console" "${BENCH_CONSOLE_SECONDS:-10}" 200

# The durable hold: time added to a response's last chunk while its record is committed, and the
# records/s the store commits with 64 responses finishing at once.
"$BUILD/tests/bench/bench_journal"

# Storage: bytes per request after 1 M synthetic requests over 180 days, and after the default
# request-log retention (90 days, pruned in 5,000-row batches with incremental vacuum).
"$BUILD/tests/bench/bench_retention" "${BENCH_RETENTION_REQUESTS:-1000000}"
