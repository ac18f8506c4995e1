#!/usr/bin/env bash
# Runs N streaming-skill replicas on loopback ports behind nginx (Debian's nginx or nginx-light,
# run as the current user with its files under a work folder), for a team server on one host or
# for the scale-out test.
#
# Usage:
#   deploy/scale-out.sh up DIR [--replicas N] [--mode stateless|session] [--port P]
#                              [--binary PATH]        start nginx on 127.0.0.1:P (default 8800)
#                                                     and N replicas (default 3) on P+1..P+N
#   deploy/scale-out.sh kill DIR I                    SIGKILL replica I (1..N): a crash
#   deploy/scale-out.sh stop DIR I                    SIGTERM replica I: it finishes the
#                                                     requests in flight, then exits
#   deploy/scale-out.sh start DIR I                   start replica I again
#   deploy/scale-out.sh down DIR                      stop nginx and every replica
# The binary defaults to `streaming-skill` on PATH. `up` returns once every replica answers
# /healthz with 200 (index built) through its own port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "scale-out: $*" >&2; exit 1; }

replica_port() { echo $(($(cat "$1/port") + $2)); }

start_replica() {
  local dir=$1 i=$2 port
  port=$(replica_port "$dir" "$i")
  local flags=() front
  # Stateless replicas share nothing; session replica I tags its session ids `rI.` so that nginx
  # routes each session back to it (see nginx.conf.in).
  if [ "$(cat "$dir/mode")" = stateless ]; then
    flags+=(--stateless)
  else
    flags+=(--session-tag "r$i")
  fi
  # Browsers reach the replicas through nginx, so the origin they send names nginx's port, not
  # the replica's: allow the loopback origins on that port (a public deployment lists its own
  # origins the same way).
  front=$(cat "$dir/port")
  for host in localhost 127.0.0.1 '[::1]'; do
    flags+=(--allowed-origin "http://$host:$front")
  done
  "$(cat "$dir/binary")" serve --http "127.0.0.1:$port" "${flags[@]}" >>"$dir/replica-$i.log" 2>&1 &
  echo $! >"$dir/replica-$i.pid"
}

wait_ready() {
  local dir=$1 i=$2 port
  port=$(replica_port "$dir" "$i")
  for _ in $(seq 1 200); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ]; then
      return 0
    fi
    kill -0 "$(cat "$dir/replica-$i.pid")" 2>/dev/null || die "replica $i exited: $(tail -n 5 "$dir/replica-$i.log")"
    sleep 0.05
  done
  die "replica $i not ready after 10 s"
}

up() {
  local dir=$1; shift
  local replicas=3 mode=stateless port=8800 binary
  binary=$(command -v streaming-skill || true)
  while [ $# -gt 0 ]; do
    case $1 in
      --replicas) replicas=$2; shift 2 ;;
      --mode) mode=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      --binary) binary=$2; shift 2 ;;
      *) die "unknown argument $1" ;;
    esac
  done
  [ -n "$binary" ] && [ -x "$binary" ] || die "no streaming-skill binary (give --binary PATH)"
  case $mode in
    stateless | session) ;;
    *) die "--mode is stateless or session" ;;
  esac
  command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx-light)"
  mkdir -p "$dir/tmp"
  dir=$(cd "$dir" && pwd)
  echo "$port" >"$dir/port"; echo "$replicas" >"$dir/replicas"; echo "$mode" >"$dir/mode"
  (cd "$(dirname "$binary")" && echo "$PWD/$(basename "$binary")") >"$dir/binary"
  local servers="" routes="" groups="" i j
  for i in $(seq 1 "$replicas"); do
    servers+="        server 127.0.0.1:$((port + i)) max_fails=1 fail_timeout=2s;"$'\n'
  done
  if [ "$mode" = session ]; then
    # Replica I's sessions (ids `rI.<random>`) go to group replica_rI: replica I, then the
    # others as backups, which answer 404 for its sessions while it is down.
    for i in $(seq 1 "$replicas"); do
      routes+="        ~^r$i\\. replica_r$i;"$'\n'
      groups+="    upstream replica_r$i {"$'\n'
      groups+="        server 127.0.0.1:$((port + i)) max_fails=1 fail_timeout=2s;"$'\n'
      for j in $(seq 1 "$replicas"); do
        [ "$j" = "$i" ] || groups+="        server 127.0.0.1:$((port + j)) backup;"$'\n'
      done
      groups+="        keepalive 16;"$'\n'"    }"$'\n'
    done
  fi
  sed -e "s|@PREFIX@|$dir|g" -e "s|@LISTEN@|127.0.0.1:$port|" "$here/nginx/nginx.conf.in" |
    SERVERS=$servers ROUTES=$routes UPSTREAMS=$groups awk '
      /^@SERVERS@$/ { printf "%s", ENVIRON["SERVERS"]; next }
      /^@ROUTES@$/ { printf "%s", ENVIRON["ROUTES"]; next }
      /^@REPLICA_UPSTREAMS@$/ { printf "%s", ENVIRON["UPSTREAMS"]; next }
      { print }' >"$dir/nginx.conf"
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>/dev/null || nginx -t -p "$dir" -c "$dir/nginx.conf"
  for i in $(seq 1 "$replicas"); do start_replica "$dir" "$i"; done
  for i in $(seq 1 "$replicas"); do wait_ready "$dir" "$i"; done
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>/dev/null || nginx -p "$dir" -c "$dir/nginx.conf"
  for _ in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] && break
    sleep 0.05
  done
  echo "scale-out: $replicas $mode replica(s) behind nginx at http://127.0.0.1:$port/mcp"
}

down() {
  local dir=$1
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for pidfile in "$dir"/replica-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  for _ in $(seq 1 50); do
    [ -f "$dir/nginx.pid" ] && kill -0 "$(cat "$dir/nginx.pid")" 2>/dev/null || break
    sleep 0.1
  done
}

command=${1:-}
case $command in
  up) [ $# -ge 2 ] || die "usage: up DIR [options]"; shift; up "$@" ;;
  kill) [ $# -eq 3 ] || die "usage: kill DIR I"; kill -9 "$(cat "$2/replica-$3.pid")" ;;
  stop)
    [ $# -eq 3 ] || die "usage: stop DIR I"
    pid=$(cat "$2/replica-$3.pid"); kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done ;;
  start) [ $# -eq 3 ] || die "usage: start DIR I"; start_replica "$2" "$3"; wait_ready "$2" "$3" ;;
  down) [ $# -eq 2 ] || die "usage: down DIR"; down "$2" ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$command" ] || exit 2 ;;
esac
