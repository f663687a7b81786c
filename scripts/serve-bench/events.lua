-- wrk script for `fraudscan serve`: POST /v1/events with BATCH events per
-- request (NDJSON), each with a unique client id, endorsements among a
-- rotating population of accounts, timestamps advancing one second per event.
-- Environment: FRAUDSCAN_TOKEN (bearer token), BATCH (events per request, default 1).

local counter = 1
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  batch = tonumber(os.getenv("BATCH") or "1")
  token = os.getenv("FRAUDSCAN_TOKEN") or ""
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/x-ndjson"
  non200 = 0
end

function request()
  local lines = {}
  for i = 1, batch do
    n = n + 1
    local k = tid * 100000000 + n
    lines[i] = string.format(
      '{"type":"interaction","id":"w%d","src":"u%d","dst":"t%d","kind":"like","ts":%d}',
      k, k % 50000, (k * 7) % 2000, 1767225600 + k % 100000000)
  end
  return wrk.format(nil, "/v1/events", nil, table.concat(lines, "\n"))
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non200") or 0) end
  io.write(string.format("requests %d, errors %d (non-200 %d)\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status, bad))
  io.write(string.format("requests/s %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
