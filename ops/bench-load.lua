-- wrk script for ops/bench's scale run: creates $TICKETD_LOAD tickets in
-- total (split over the wrk threads; each stops at its share) through the
-- normal HTTP command path, with varied words, priorities and categories so
-- that filters and full text have realistic selectivity. Subjects look like
-- "printer vpn issue 123-4567", descriptions "User reports the wifi fails".

local token = os.getenv("TICKETD_TOKEN") or ""
local total = tonumber(os.getenv("TICKETD_LOAD") or "1000000")
local thread_count = tonumber(os.getenv("WRK_THREADS") or "2")
local words = { "printer", "vpn", "laptop", "screen", "password", "email", "network", "keyboard", "badge", "wifi" }
local priorities = { "low", "medium", "high", "urgent" }
local threads = {}
local next_id = 0

wrk.method = "POST"
wrk.path = "/api/v1/tickets"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  table.insert(threads, thread)
end

function init(args)
  quota = math.floor(total / thread_count)
  sent, answered, failed = 0, 0, 0
  math.randomseed(thread_id * 104729)
end

function request()
  sent = sent + 1
  local body = string.format(
    '{"subject":"%s %s issue %d-%d","description":"User reports the %s fails after update","priority":"%s","category":"%s"}',
    words[math.random(10)], words[math.random(10)], thread_id, sent, words[math.random(10)],
    priorities[math.random(4)], words[math.random(10)])
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 201 then failed = failed + 1 end
  if answered >= quota then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do failures = failures + (thread:get("failed") or 0) end
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p99_ms=%.3f non_201=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failures))
end
