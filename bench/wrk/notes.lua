-- wrk script for `make bench` (bench/run.sh). Environment:
--   BENCH_METHOD    GET (default) or POST; POST sends a new note as JSON
--   BENCH_KEY       API key for the Authorization header (unset for the ceiling routes)
--   BENCH_RATE      if set, requests per second this wrk thread sends, on a fixed schedule: a
--                   below-saturation load at the same rate for every route (wrk has no fixed-rate
--                   mode of its own; see delay() below)
--   BENCH_HIST      if set, a file that done() writes the latency histogram to ("value_us count"
--                   per line), so run.sh can take percentiles over several runs together
-- done() prints one machine-readable line that run.sh turns into the table.

local method = os.getenv("BENCH_METHOD") or "GET"
local key = os.getenv("BENCH_KEY")

wrk.method = method
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end
if method == "POST" then
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"title":"Benchmark note","body":"Created by make bench: a body of ordinary size, a sentence or two long."}'
end

-- Fixed rate: wrk calls delay() when a connection has its answer, and waits that many milliseconds
-- before the connection's next request. Each call takes the thread's next free slot on a schedule of
-- one request per 1000/rate ms, read off the monotonic clock (LuaJIT's FFI: plain Lua has no clock
-- finer than a second), so the thread sends at the rate whatever the latency, as long as one of its
-- connections is free when a slot comes. A slot that passed while every connection was busy is not
-- made up for later, so a stall of the server is not followed by a burst. Latency is still measured
-- from when a request was sent.
local rate = tonumber(os.getenv("BENCH_RATE") or "")
if rate and rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
    int clock_gettime(int clock_id, bench_timespec *tp);
  ]]
  local CLOCK_MONOTONIC = 1
  local ts = ffi.new("bench_timespec")
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 / rate
  local next_slot = 0
  function delay()
    local now = now_ms()
    if next_slot < now then next_slot = now end
    local wait = next_slot - now
    next_slot = next_slot + interval
    return math.floor(wait + 0.5)
  end
end

function done(summary, latency, requests)
  local hist = os.getenv("BENCH_HIST")
  if hist and hist ~= "" then
    local f = assert(io.open(hist, "w"))
    for i = 1, #latency do
      local value, count = latency(i)
      f:write(string.format("%d %d\n", value, count))
    end
    f:close()
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
