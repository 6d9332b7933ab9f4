-- wrk script for bench/webhook-bench.sh: sends pre-signed webhook deliveries read from $WEBHOOK_REQUESTS (raw HTTP
-- requests, each preceded by a line holding its length in bytes). Use one wrk thread (-t1).
--   WEBHOOK_MODE=once   each delivery exactly once, in the file's order; a connection that would send one more waits
--                       instead, and wrk is stopped (SIGINT, which makes it print its results) once the last answer is
--                       in: give -d longer than the run can take. The time is from the first request sent to the last
--                       answer received, not wrk's own (which counts from before connecting to the signal).
--   WEBHOOK_MODE=cycle  round and round the file for the whole -d (the warm-up: the events are idempotent).
-- WEBHOOK_FRESH (cycle only): a second file of requests, events the store has not seen; every
--                       WEBHOOK_FRESH_EVERY-th request (default 5) is the next of them instead, so that the warm-up
--                       keeps new events coming as the measured run has them (each sent once unless the file runs out).
-- WEBHOOK_TIMES (once only): a file to write the moment of the first request and of every answer to, in microseconds
--                       of CLOCK_MONOTONIC, one a line: where answers stopped coming for a while, and for how long.
-- Prints one line "webhook-bench: key=value ..." with the figures, and counts every answer that is not 2xx.

local threads = {}
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } webhook_bench_timespec; int clock_gettime(int, webhook_bench_timespec *); ]]
local clock = ffi.new("webhook_bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

function setup(thread)
  table.insert(threads, thread)
end

local requests, count, sent, answered, bad, once = {}, 0, 0, 0, 0, true
local fresh, fresh_count, fresh_every, fresh_sent, repeats_sent = {}, 0, 5, 0, 0
local first_bad, started = "", nil

local function read_requests(path, into)
  local file = assert(io.open(path, "rb"))
  local n = 0
  while true do
    local length = file:read("*l")
    if not length then break end
    n = n + 1
    into[n] = file:read(tonumber(length))
  end
  file:close()
  return n
end

function init(args)
  once = os.getenv("WEBHOOK_MODE") ~= "cycle"
  count = read_requests(os.getenv("WEBHOOK_REQUESTS"), requests)
  local fresh_file = os.getenv("WEBHOOK_FRESH")
  if not once and fresh_file and fresh_file ~= "" then
    fresh_count = read_requests(fresh_file, fresh)
    fresh_every = tonumber(os.getenv("WEBHOOK_FRESH_EVERY") or "5")
  end
end

-- wrk asks delay() before every request of a connection (the first included, since delay is defined): a request is
-- reserved here, so that connections asking at the same moment cannot send more than the file holds.
local reserved = 0
function delay()
  if once then
    if reserved >= count then return 3600000 end
    reserved = reserved + 1
  end
  return 0
end

function request()
  if once and reserved == 0 then
    return requests[1] -- wrk's own look at the script's first request before the run: nothing is sent
  end
  sent = sent + 1
  if not started then started = now_us() end
  if once then
    return requests[math.min(sent, count)]
  end
  if fresh_count > 0 and sent % fresh_every == 0 then
    fresh_sent = fresh_sent + 1
    wrk.thread:set("fresh", fresh_sent)
    return fresh[(fresh_sent - 1) % fresh_count + 1]
  end
  repeats_sent = repeats_sent + 1
  return requests[(repeats_sent - 1) % count + 1]
end

local answer_times = {}
function response(status, headers, body)
  answered = answered + 1
  if once then answer_times[answered] = now_us() end
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 200) end
    wrk.thread:set("bad", bad)
    wrk.thread:set("first_bad", first_bad)
  end
  if once and answered >= count then
    local times_file = os.getenv("WEBHOOK_TIMES")
    if times_file and times_file ~= "" then
      local f = assert(io.open(times_file, "w"))
      f:write(started, "\n", table.concat(answer_times, "\n"), "\n")
      f:close()
    end
    wrk.thread:set("elapsed_us", now_us() - started)
    wrk.thread:set("answered", answered)
    wrk.thread:set("sent", sent)
    wrk.thread:stop()
    -- SIGINT makes wrk end the run and print its results at once, instead of after -d. Sent from the background,
    -- since os.execute (system) ignores SIGINT while it waits; the shell's parent is wrk.
    os.execute("(sleep 0.2; kill -INT $PPID) >/dev/null 2>&1 &")
  end
end

function done(summary, latency, requests_)
  local answered_, sent_, bad_, first, elapsed, fresh_ = 0, 0, 0, "", 0, 0
  for _, thread in ipairs(threads) do
    fresh_ = fresh_ + (thread:get("fresh") or 0)
    answered_ = answered_ + (thread:get("answered") or 0)
    sent_ = sent_ + (thread:get("sent") or 0)
    bad_ = bad_ + (thread:get("bad") or 0)
    elapsed = math.max(elapsed, thread:get("elapsed_us") or 0)
    if (thread:get("first_bad") or "") ~= "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  if elapsed == 0 then elapsed, answered_, sent_ = summary.duration, summary.requests, summary.requests end
  io.write(string.format("webhook-bench: requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "sent=%d answered=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d fresh=%d\n",
      summary.requests, elapsed, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, sent_, answered_, bad_, e.connect, e.read, e.write, e.timeout, fresh_))
  if first ~= "" then io.write("webhook-bench: first answer that was not 2xx: " .. first .. "\n") end
end
