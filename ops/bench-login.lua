-- wrk script for ops/bench-jwt's login storm: every request signs in with
-- the right password ($TICKETD_LOGIN is the JSON body). Prints a BENCH line.
local body = os.getenv("TICKETD_LOGIN") or "{}"
wrk.method = "POST"
wrk.path = "/api/v1/auth/login"
wrk.headers["Content-Type"] = "application/json"
wrk.body = body

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
