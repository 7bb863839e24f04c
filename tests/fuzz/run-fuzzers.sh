#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each libFuzzer target of tests/fuzz for SECONDS, one after another (the machine's cores are
# shared), each on a fresh copy of its seed corpus under BUILD_DIR/fuzz-run/<target>/ (new inputs never
# go into tests/fuzz/corpus), then prints executions per target and in all. Fails when a target crashed,
# broke an invariant, leaked or hung; its log and the input (crash-*, timeout-*, leak-*) stay next to the
# working corpus.
# Usage: run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]   (default: every target)
set -eu
build=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- fuzz_http_request_parser fuzz_http_response_parser fuzz_websocket_frame_parser \
    fuzz_sse fuzz_json_body fuzz_request_body_decoder fuzz_chat_request_translator fuzz_auth_decision

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

summary=$(mktemp)
trap 'rm -f "$summary"' EXIT
failed=0
total=0
started=$(date +%s)
for target in "$@"; do
    binary="$build/tests/fuzz/$target"
    [ -x "$binary" ] || { echo "run-fuzzers: $binary not built" >&2; exit 2; }
    work="$build/fuzz-run/$target"
    rm -rf "$work"
    mkdir -p "$work/corpus"
    [ -d "$here/corpus/$target" ] && cp "$here/corpus/$target"/* "$work/corpus/" 2>/dev/null || true
    echo "== $target: ${seconds}s"
    t0=$(date +%s)
    status=ok
    "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$work/" \
        "$work/corpus" >"$work/log" 2>&1 || status=FAILED
    elapsed=$(($(date +%s) - t0))
    execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -1)
    execs=${execs:-0}
    total=$((total + execs))
    if [ "$status" != ok ]; then
        failed=1
        grep -E 'invariant broken|ERROR: |runtime error|SUMMARY|Test unit written|deadly signal' "$work/log" | head -20
        echo "   log: $work/log"
    fi
    printf '%-30s %8s %6ss %12s execs %10s/s\n' "$target" "$status" "$elapsed" "$execs" \
        "$((execs / (elapsed > 0 ? elapsed : 1)))" >>"$summary"
done
echo
printf '%-30s %8s %7s %12s\n' target status time executions
cat "$summary"
echo "total: $total executions in $(($(date +%s) - started))s"
exit "$failed"
