-- wrk script for ops/bench's mixed run: 60% reads of the open queue, 25%
-- status changes, 15% creates. The agent token comes from $TICKETD_TOKEN and
-- the ids of pre-created open tickets from the file $TICKETD_IDS (one a line).
-- Each wrk thread owns every n-th id and remembers the status it last asked
-- for, so its changes cycle open -> in_progress -> on_hold -> open and are
-- valid transitions (a rare 409 remains when two connections of a thread
-- race on one ticket; done() counts every non-2xx answer).

local token = os.getenv("TICKETD_TOKEN") or ""
local ids_file = os.getenv("TICKETD_IDS") or ""
local threads = {}
local thread_count = 0
local next_status = { open = "in_progress", in_progress = "on_hold", on_hold = "open" }
local priorities = { "low", "medium", "high", "urgent" }

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  failed = 0
  reads, changes, creates = 0, 0, 0
  ids, status_of = {}, {}
  local threads_total = tonumber(os.getenv("WRK_THREADS") or "2")
  local n = 0
  for line in io.lines(ids_file) do
    if n % threads_total == thread_id - 1 then
      table.insert(ids, line)
      status_of[line] = "open"
    end
    n = n + 1
  end
  math.randomseed(thread_id * 7919)
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
  counter = counter + 1
  local r = math.random(100)
  if r <= 60 or #ids == 0 then
    reads = reads + 1
    return wrk.format("GET", "/api/v1/tickets?status=open,in_progress&page_size=50", headers)
  elseif r <= 85 then
    changes = changes + 1
    local id = ids[math.random(#ids)]
    local target = next_status[status_of[id]]
    status_of[id] = target
    return wrk.format("POST", "/api/v1/tickets/" .. id .. "/status", headers,
      '{"status":"' .. target .. '"}')
  else
    creates = creates + 1
    local body = string.format(
      '{"subject":"Mixed ticket %d-%d","description":"created by ops/bench mixed","priority":"%s"}',
      thread_id, counter, priorities[counter % 4 + 1])
    return wrk.format("POST", "/api/v1/tickets", headers, body)
  end
end

function response(status, headers, body)
  if status >= 300 then failed = failed + 1 end
end

function done(summary, latency, requests)
  local failures, r, c, k = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    failures = failures + (thread:get("failed") or 0)
    r = r + (thread:get("reads") or 0)
    c = c + (thread:get("changes") or 0)
    k = k + (thread:get("creates") or 0)
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non_2xx=%d socket_errors=%d reads=%d changes=%d creates=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, failures, e.connect + e.read + e.write + e.timeout, r, c, k))
end
