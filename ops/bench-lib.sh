# Shared by ops/bench and ops/bench-scale (sourced, not run): finding the
# binaries, starting ticketd on a temp data dir and a free port, creating a
# tenant and an agent, running wrk and reading its BENCH line.
# The caller sets ADMIN_TOKEN and calls bench_cleanup from its EXIT trap.

SERVER_PID=""
SERVER_LOG=""
BENCH_DIRS=()

require_tools() {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "ops/bench: $tool is not installed; install it with: sudo apt-get install $tool" >&2
      exit 1
    fi
  done
}

# build_binaries: sets TICKETD, REPLAY and BARE_SERVER (builds the release
# preset's three targets unless TICKETD_BINARY points at a binary).
build_binaries() {
  if [[ -n "${TICKETD_BINARY:-}" ]]; then
    TICKETD=$TICKETD_BINARY
    local dir
    dir=$(dirname "$TICKETD")/..
    REPLAY=$dir/replay/ticket-replay
    BARE_SERVER=$dir/ops/bare_server/bare_server
    return
  fi
  [[ -f build/release/build.ninja ]] || cmake --preset release >&2
  cmake --build --preset release --target ticketd ticket-replay bare_server >&2
  TICKETD=build/release/api/ticketd
  REPLAY=build/release/replay/ticket-replay
  BARE_SERVER=build/release/ops/bare_server/bare_server
}

# new_temp_dir VAR: makes a temp dir, removed by bench_cleanup, into VAR
# (not echoed: a $(...) subshell would lose the cleanup list).
new_temp_dir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ticketd-bench-XXXXXX")
  BENCH_DIRS+=("$dir")
  printf -v "$1" '%s' "$dir"
}

# wait_port PID LOG [TRIES]: sets PORT from the first "listening on http://HOST:PORT".
wait_port() {
  local pid=$1 log=$2 tries=${3:-24000}  # 20 min: a restart replays the whole log
  PORT=""
  for _ in $(seq 1 "$tries"); do
    PORT=$(grep -m1 -o 'listening on http://[^ ]*' "$log" | sed 's/.*:\([0-9]*\)$/\1/' || true)
    [[ -n "$PORT" ]] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "ops/bench: the server exited during start-up:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  echo "ops/bench: the server did not report its port:" >&2
  cat "$log" >&2
  exit 1
}

# start_ticketd DATA_DIR [ARGS...]: starts ticketd (extra ARGS passed on),
# sets SERVER_PID, PORT and BASE.
start_ticketd() {
  SERVER_LOG="$1.log"
  local dir=$1
  shift
  "$TICKETD" --data-dir "$dir" --listen 127.0.0.1:0 --admin-token "$ADMIN_TOKEN" --kafka off "$@" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  wait_port "$SERVER_PID" "$SERVER_LOG"
  BASE="http://127.0.0.1:$PORT"
  for _ in $(seq 1 100); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    sleep 0.05
  done
}

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || echo "ops/bench: server exited with status $? after SIGTERM (log: $SERVER_LOG)" >&2
  fi
  SERVER_PID=""
}

bench_cleanup() {
  stop_server
  for dir in "${BENCH_DIRS[@]}"; do rm -rf "$dir" "$dir".*; done
}

# json_field NAME < JSON: the value of the first string field NAME.
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

# create_tenant_agent: sets TENANT_ID and AGENT_TOKEN on $BASE.
create_tenant_agent() {
  TENANT_ID=$(curl -fsS -X POST "$BASE/api/v1/tenants" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -d '{"name":"Bench Inc"}' | json_field id)
  AGENT_TOKEN=$(curl -fsS -X POST "$BASE/api/v1/tenants/$TENANT_ID/users" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name":"Bench Agent","email":"agent@bench.example","role":"agent"}' | json_field token)
  if [[ -z "$TENANT_ID" || -z "$AGENT_TOKEN" ]]; then
    echo "ops/bench: could not create the tenant and agent (log: $SERVER_LOG)" >&2
    exit 1
  fi
}

# bench_field NAME LINE: the value of NAME=... in a BENCH line.
bench_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

# run_wrk SCRIPT URL [wrk options...]: runs wrk with the agent token and
# prints wrk's output; the caller greps the BENCH line.
run_wrk() {
  local script=$1 url=$2
  shift 2
  TICKETD_TOKEN="${AGENT_TOKEN:-}" WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
    --latency -s "$script" "$@" "$url"
}

rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
now_ms() { date +%s%3N; }
# ratio A B: A/B with two decimals, "?" when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "?"; else printf "%.2f", a / b }'; }
# rocks_stalls DATA_DIR: how often RocksDB slowed or stopped writes (its LOG
# says "Stalling writes ..." / "Stopping writes ..." each time).
rocks_stalls() { cat "$1"/log/LOG* 2>/dev/null | grep -cE 'Stalling writes|Stopping writes' || true; }
