# Shared by ops/bench-sla, ops/bench-sla-idle and ops/bench-sla-simulate
# (sourced after ops/bench-lib.sh): a tenant admin to manage SLA policies,
# one policy, and a bulk load of tickets through the normal HTTP command path.

# create_admin: sets ADMIN_USER_TOKEN, an admin of $TENANT_ID (settings:manage).
create_admin() {
  ADMIN_USER_TOKEN=$(curl -fsS -X POST "$BASE/api/v1/tenants/$TENANT_ID/users" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name":"Bench Admin","email":"admin@bench.example","role":"admin"}' | json_field token)
  [[ -n "$ADMIN_USER_TOKEN" ]] || { echo "ops/bench-sla: could not create the tenant admin" >&2; exit 1; }
}

# One office-hours policy (a real time zone, holidays) for the create benches.
OFFICE_POLICY='{"name":"Office","order":1,"first_response":"PT4H","resolution":"P3D","calendar":{"timezone":"Europe/Berlin","days":["mon","tue","wed","thu","fri"],"from":"09:00","to":"17:00","holidays":["2026-12-24","2026-12-25","2026-12-31","2027-01-01"]}}'

# create_policy JSON: POSTs an SLA policy as the tenant admin.
create_policy() {
  curl -fsS -X POST "$BASE/api/v1/sla-policies" -H "Authorization: Bearer $ADMIN_USER_TOKEN" \
    -H 'Content-Type: application/json' -d "$1" >/dev/null
}

tickets_total() {
  curl -fsS "$BASE/api/v1/tickets?page_size=1" -H "Authorization: Bearer $AGENT_TOKEN" |
    grep -o '"total":[0-9]*' | cut -d: -f2
}

# load_tickets N: N more tickets through wrk + ops/bench-load.lua (64
# connections, durable creates); returns when the list counts them.
load_tickets() {
  local want=$1 before out pid
  before=$(tickets_total)
  out=$(mktemp "${TMPDIR:-/tmp}/ticketd-bench-load-XXXXXX")
  TICKETD_TOKEN=$AGENT_TOKEN TICKETD_LOAD=$want WRK_THREADS=2 \
    wrk -t2 -c64 -d3600s -s ops/bench-load.lua "$BASE" >"$out" &
  pid=$!
  local target=$((before + want / 2 * 2))
  while kill -0 "$pid" 2>/dev/null && (($(tickets_total) < target)); do sleep 0.5; done
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" || true
  rm -f "$out"
}

# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# snapshot_running PID: whether a background snapshot rebuild is in flight
# (its thread is named ticketd-snap and exits when the snapshot is written).
snapshot_running() { grep -qx ticketd-snap /proc/"$1"/task/*/comm 2>/dev/null; }

# memory_given_back: whether the server at $BASE has handed back its idle
# memory (app/idle_memory.h: memtables flushed, free pages released) for
# everything written so far; true at once for a binary without that gauge.
memory_given_back() {
  local metrics released head
  metrics=$(curl -fsS "$BASE/metrics" 2>/dev/null) || return 0
  released=$(awk '$1 == "ticketd_idle_memory_released_position" { print $2 }' <<<"$metrics")
  [[ -z $released ]] && return 0
  head=$(awk '$1 == "ticketd_log_head_position" { print $2 }' <<<"$metrics")
  [[ $released == "$head" ]]
}

# wait_quiet PID [MAX_SECONDS]: waits (up to MAX_SECONDS, default 180) until
# no snapshot rebuild runs and the process used under 5% of a core over 2 s,
# so an RSS read afterwards does not catch a background snapshot rebuild (a
# second state in flight) half-way: on a loaded box the niced rebuild thread
# can get under 5% of a core, so CPU alone missed one at 1M tickets; and
# until a quiet server has given back its idle memory. Prints how long it
# waited.
wait_quiet() {
  local pid=$1 max=${2:-180} waited=0 t0 t1 hz
  hz=$(getconf CLK_TCK)
  while ((waited < max)); do
    t0=$(cpu_ticks "$pid")
    sleep 2
    waited=$((waited + 2))
    t1=$(cpu_ticks "$pid")
    ((t1 - t0 < hz / 10)) && ! snapshot_running "$pid" && memory_given_back && break
  done
  echo "$waited"
}
