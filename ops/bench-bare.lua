-- wrk script for ops/bench's bare ceiling (run C): the same request as
-- bench-create.lua (method, headers, a body of the same size), against
-- bare_server, which answers every request with a fixed 201 JSON body.

wrk.method = "POST"
wrk.path = "/api/v1/tickets"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TICKETD_TOKEN") or "bench-token-of-the-same-length-0123456789")

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"subject":"Bench ticket %d-%d","description":"created by ops/bench","priority":"medium","category":"bench"}',
    1, counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout))
end
