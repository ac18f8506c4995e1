#!/usr/bin/env bash
# Scale-out behind nginx, on loopback only and bounded in time and count (deploy/scale-out.sh
# runs the replicas and nginx; examples/scale_load.rs is the load):
#   1. session mode, 3 replicas tagged r1..r3: the official conformance suite through nginx;
#      then 16 clients, whose sessions spread over the replicas, while replica 2 is stopped
#      (SIGTERM) and started again: no failed call; every session of replica 2, and no other,
#      gets one 404 and initializes again; each replica's access log shows it served only
#      requests of its own sessions (anything else was a 404 for a lost session);
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
# later. The load runs for 5 s, however fast the replicas answer, so that every client still
# calls after the outage. Prints the load's JSON summary.
load_with_outage() {
  local how=$1 replica=$2 mode=$3 out="$work/load.json"
  "$load" --url "http://127.0.0.1:$port/mcp" --clients "$clients" --seconds 5 --mode "$mode" >"$out" &
  local pid=$!
  sleep 1.5
  scale "$how" "$cluster" "$replica"
  sleep 1.5
  scale start "$cluster" "$replica"
  wait "$pid"
  echo "scale-out: replica $replica taken away ($how) and started again during the load" >&2
  cat "$out"
}

echo "scale-out: session mode, 3 replicas"
scale up "$cluster" --replicas 3 --mode session --port "$port" --binary "$binary"
bash "$root/.ci/conformance.sh" "$cache" "$binary" "http://127.0.0.1:$port/mcp"
# The access logs only hold the load from here on.
for log in "$cluster"/replica-*.log; do : >"$log"; done
summary=$(load_with_outage stop 2 session)
echo "$summary"
# Sessions spread over the replicas; exactly replica 2's sessions were lost, each once, and each
# lost one was followed by a new initialize; nothing else failed.
python3 - "$summary" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
first, lost = s["first_sessions_by_tag"], s["not_found_by_tag"]
problems = []
if s["failures"]:
    problems.append(f"{s['failures']} failed call(s): {s['first_failures']}")
if sorted(first) != ["r1", "r2", "r3"]:
    problems.append(f"the first sessions did not spread over r1, r2, r3: {first}")
if list(lost) != ["r2"] or lost["r2"] != first.get("r2"):
    problems.append(f"404s by replica {lost}: expected one for each of r2's {first.get('r2')} sessions and none for others")
if s["reinitialized"] != s["not_found"]:
    problems.append(f"{s['not_found']} 404s but {s['reinitialized']} new sessions")
if problems:
    sys.exit("scale-out: session mode: " + "; ".join(problems))
print(f"scale-out: session mode: first sessions by replica {first}; no failed call; "
      f"replica 2's {lost['r2']} sessions each answered 404 once and initialized again, no other session lost")
PY
# Stickiness, from the replicas' own access logs: replica I served only requests of sessions
# tagged rI; a request of another replica's session reached it only as a backup, and got 404.
python3 - "$cluster" <<'PY'
import re, sys
line = re.compile(r'status=(\d+) .*session="([^"]+)"')
served = restarted = foreign = 0
for i in (1, 2, 3):
    for text in open(f"{sys.argv[1]}/replica-{i}.log"):
        m = line.search(text)
        if not m or m.group(2) == "-":
            continue
        status, tag = m.group(1), m.group(2).split(".", 1)[0]
        if tag == f"r{i}" and status != "404":
            served += 1
        elif tag == f"r{i}":
            restarted += 1  # a session of this replica from before its restart
        elif status == "404":
            foreign += 1
        else:
            sys.exit(f"scale-out: replica {i} answered {status} for a session of {tag}: {text.strip()}")
print(f"scale-out: session mode: {served} requests served by the replica that minted their session; "
      f"requests of a lost session answered 404 by a backup: {foreign}, by the restarted replica: {restarted}")
PY
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
