-- wrk script for ops/bench: every request creates a ticket.
-- The agent token comes from $TICKETD_TOKEN; each thread numbers its own
-- requests so every subject is distinct. done() prints one BENCH line that
-- ops/bench turns into its summary.

local token = os.getenv("TICKETD_TOKEN") or ""
local priorities = { "low", "medium", "high", "urgent" }
local threads = {}
local thread_counter = 0

wrk.method = "POST"
wrk.path = "/api/v1/tickets"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  not_created = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"subject":"Bench ticket %d-%d","description":"created by ops/bench","priority":"%s","category":"bench"}',
    thread_id, counter, priorities[counter % 4 + 1])
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    not_created = not_created + 1
  end
end

function done(summary, latency, requests)
  local rejected = 0
  for _, thread in ipairs(threads) do
    rejected = rejected + (thread:get("not_created") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non_201=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, rejected, e.connect + e.read + e.write + e.timeout))
end
