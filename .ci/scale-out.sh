#!/usr/bin/env bash
# Scale-out behind nginx, on loopback only and bounded in time and count (deploy/scale-out.sh
# runs the replicas and nginx; examples/scale_load.rs is the load):
#   1. session mode, 3 replicas: the official conformance suite through nginx; then 16 clients
#      while the replica holding their sessions is stopped (SIGTERM) and started again: no
#      failed call, every 404 followed by a new initialize;
#   2. stateless mode, 3 replicas: 16 clients while one replica is killed (SIGKILL) and started
#      again: no failed call;
#   3. stateless throughput and p99 with 1, 2 and 3 replicas, and each replica's peak RSS
#      (VmHWM), printed as the rows of BENCHMARKS.md's scale-out table.
# nginx comes from Debian (nginx-light, else nginx) when it is not installed.
set -euo pipefail
cache=${1:?cache dir}
binary=${2:?path to the streaming-skill binary}
root=$(cd "$(dirname "$0")/.." && pwd)
port=${SCALE_OUT_PORT:-18800}
calls=${SCALE_OUT_CALLS:-600}
clients=16

if ! command -v nginx >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq nginx-light >/dev/null 2>&1 || apt-get install -y -qq nginx >/dev/null
fi
echo "scale-out: $(nginx -v 2>&1)"
cargo build --quiet --example scale_load
load="$root/target/debug/examples/scale_load"
work=$(mktemp -d)
cluster="$work/cluster"
scale() { bash "$root/deploy/scale-out.sh" "$@"; }
trap 'scale down "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

field() { python3 -c 'import json,sys; v = json.loads(sys.argv[1])[sys.argv[2]]; print(int(v) if sys.argv[2] == "calls_per_second" else v)' "$1" "$2"; }
peak_rss_kib() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$(cat "$cluster/replica-$1.pid")/status"; }

# While the load runs, take replica $2 away with `scale $1` 1.5 s in, and start it again 1.5 s
# later. Prints the load's JSON summary.
load_with_outage() {
  local how=$1 replica=$2 mode=$3 out="$work/load.json"
  "$load" --url "http://127.0.0.1:$port/mcp" --clients "$clients" --requests $((calls * 2)) --mode "$mode" >"$out" &
  local pid=$!
  sleep 1.5
  [ "$replica" = busiest ] && replica=$(busiest)
  scale "$how" "$cluster" "$replica"
  sleep 1.5
  scale start "$cluster" "$replica"
  wait "$pid"
  echo "scale-out: replica $replica taken away ($how) and started again during the load" >&2
  cat "$out"
}
# The replica that has answered the most tool calls so far (in session mode, the one the
# clients' sessions live on).
busiest() {
  for log in "$cluster"/replica-*.log; do
    printf '%s %s\n' "$(grep -c 'status=200' "$log")" "$(basename "$log" .log | sed 's/replica-//')"
  done | sort -rn | head -n 1 | cut -d ' ' -f 2
}

echo "scale-out: session mode, 3 replicas"
scale up "$cluster" --replicas 3 --mode session --port "$port" --binary "$binary"
bash "$root/.ci/conformance.sh" "$cache" "$binary" "http://127.0.0.1:$port/mcp"
summary=$(load_with_outage stop busiest session)
echo "$summary"
failures=$(field "$summary" failures); not_found=$(field "$summary" not_found); again=$(field "$summary" reinitialized)
[ "$failures" = 0 ] || { echo "scale-out: session mode had $failures failed call(s)"; exit 1; }
[ "$not_found" -gt 0 ] || { echo "scale-out: no session was lost: the stopped replica held none"; exit 1; }
[ "$again" = "$not_found" ] || { echo "scale-out: $not_found 404s but $again new sessions"; exit 1; }
echo "scale-out: session mode: no failed call; $not_found lost sessions, each answered 404 and initialized again"
scale down "$cluster"; rm -rf "$cluster"

echo "scale-out: stateless mode, 3 replicas"
scale up "$cluster" --replicas 3 --mode stateless --port "$port" --binary "$binary"
summary=$(load_with_outage kill 2 stateless)
echo "$summary"
failures=$(field "$summary" failures)
[ "$failures" = 0 ] || { echo "scale-out: stateless mode had $failures failed call(s)"; exit 1; }
echo "scale-out: stateless mode: no failed call while a replica was killed and restarted"
scale down "$cluster"; rm -rf "$cluster"

echo "scale-out: stateless throughput ($clients clients, $calls search_references calls per cell, $("$binary" --version), $binary)"
echo "| replicas | calls/s | p50 ms | p99 ms | largest peak RSS of a replica (MiB) |"
echo "|---:|---:|---:|---:|---:|"
for replicas in 1 2 3; do
  scale up "$cluster" --replicas "$replicas" --mode stateless --port "$port" --binary "$binary" >/dev/null
  summary=$("$load" --url "http://127.0.0.1:$port/mcp" --clients "$clients" --requests "$calls" --mode stateless)
  [ "$(field "$summary" failures)" = 0 ] || { echo "scale-out: failures with $replicas replica(s): $summary"; exit 1; }
  rss=0
  for i in $(seq 1 "$replicas"); do r=$(peak_rss_kib "$i"); [ "$r" -gt "$rss" ] && rss=$r; done
  printf '| %s | %s | %s | %s | %s |\n' "$replicas" "$(field "$summary" calls_per_second)" \
    "$(field "$summary" p50_ms)" "$(field "$summary" p99_ms)" "$((rss / 1024))"
  scale down "$cluster"; rm -rf "$cluster"
done
