-- wrk script for ops/bench-mail: ops/bench-create.lua's creates at a fixed
-- total rate ($TICKETD_RATE per second, default 1000) over all connections,
-- so the mail pipeline's lag is measured at a known load, not at saturation.
dofile("ops/bench-create.lua")

local rate = tonumber(os.getenv("TICKETD_RATE") or "1000")
local connections = tonumber(os.getenv("TICKETD_CONNECTIONS") or "16")

function delay()
  -- each connection sends one request per `connections / rate` seconds
  return connections * 1000 / rate
end
