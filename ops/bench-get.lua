-- wrk script for ops/bench's read timings: GETs $TICKETD_PATH with the agent
-- token $TICKETD_TOKEN and prints one BENCH line (non_200 counts failures).

wrk.method = "GET"
wrk.path = os.getenv("TICKETD_PATH") or "/api/v1/tickets"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TICKETD_TOKEN") or "")
local threads = {}

function setup(thread) table.insert(threads, thread) end
function init(args) failed = 0 end
function response(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do failures = failures + (thread:get("failed") or 0) end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non_200=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, failures))
end
