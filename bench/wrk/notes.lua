-- wrk script for `make bench` (bench/run.sh). Environment:
--   BENCH_METHOD    GET (default) or POST; POST sends a new note as JSON
--   BENCH_KEY       API key for the Authorization header (unset for the ceiling routes)
--   BENCH_DELAY_MS  if set, each connection waits this long after a response before its next
--                   request: a paced, below-saturation load (wrk itself has no fixed rate)
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

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pause then
  function delay()
    return pause
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
