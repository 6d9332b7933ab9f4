-- wrk script for bench/webhook-bench.sh: sends pre-signed webhook deliveries read from $WEBHOOK_REQUESTS (raw HTTP
-- requests, each preceded by a line holding its length in bytes).
--   WEBHOOK_MODE=once   each delivery exactly once. Run with as many threads as connections (-tN -cN): thread k
--                       (1 to N) sends the deliveries of $WEBHOOK_REQUESTS.k (deliveries k, k+N, k+2N... of the file;
--                       bench/webhook-bench.py sign --shares N writes them) on its one connection, one at a time, so
--                       each answer is matched to its delivery, and the time to acknowledge each delivery is measured
--                       from just before its request is written to just after its answer is read. (wrk's own latency
--                       figures are not that: wrk adds samples of its own to them for a client that would have kept
--                       sending during a stall, its "coordinated omission" correction, with an interval worked out from
--                       its whole run; they are printed as wrk_p50_us etc. for comparison only.) The threads start
--                       together, 1.5 s after the first is set up (each reads its file first). A thread that has sent
--                       its share waits; the script stops wrk (SIGINT, which makes it print its results at once) once
--                       every thread's last answer is in: give -d longer than the run can take.
--   WEBHOOK_MODE=cycle  round and round the file for the whole -d (the warm-up: the events are idempotent); -t1.
-- WEBHOOK_FRESH (cycle only): a second file of requests, events the store has not seen; every
--                       WEBHOOK_FRESH_EVERY-th request (default 5) is the next of them instead, so that the warm-up
--                       keeps new events coming as the measured run has them (each sent once unless the file runs out).
-- WEBHOOK_TIMES (once only): a file to write the moment of the first request and of every answer to, in microseconds
--                       of CLOCK_MONOTONIC, one a line, in order: where answers stopped coming for a while, and for
--                       how long. Each thread also writes its deliveries' send and answer times to $WEBHOOK_TIMES.<k>.
-- Prints one line "webhook-bench: key=value ..." with the figures, and counts every answer that is not 2xx.

local threads = {}
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } webhook_bench_timespec; int clock_gettime(int, webhook_bench_timespec *); ]]
local clock = ffi.new("webhook_bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

-- Set in each thread's own state by setup (which runs in wrk's main state): its share of a once run (deliveries share,
-- share + N, ...), and when every thread sends its first delivery (CLOCK_MONOTONIC, microseconds).
share, start_at = nil, nil
local common_start
function setup(thread)
  table.insert(threads, thread)
  common_start = common_start or now_us() + 1500000
  thread:set("share", #threads)
  thread:set("start_at", common_start)
end

local requests, count, sent, answered, bad, once = {}, 0, 0, 0, 0, true
local fresh, fresh_count, fresh_every, fresh_sent, repeats_sent = {}, 0, 5, 0, 0
local first_bad = ""
local shares, mine = 1, 0 -- once: how many threads share the file, and how many deliveries are this thread's

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
  if once then
    shares = tonumber(os.getenv("WEBHOOK_SHARES") or "1")
    mine = read_requests(os.getenv("WEBHOOK_REQUESTS") .. "." .. (share or 1), requests)
  else
    count = read_requests(os.getenv("WEBHOOK_REQUESTS"), requests)
  end
  local fresh_file = os.getenv("WEBHOOK_FRESH")
  if not once and fresh_file and fresh_file ~= "" then
    fresh_count = read_requests(fresh_file, fresh)
    fresh_every = tonumber(os.getenv("WEBHOOK_FRESH_EVERY") or "5")
  end
end

-- wrk asks delay() before every request (the first included, since delay is defined): in a once run, the first waits
-- for the common start, and a thread that has sent its share sends nothing more.
local reserved = 0
function delay()
  if once then
    if reserved >= mine then return 3600000 end
    reserved = reserved + 1
    if reserved == 1 and start_at then
      return math.max(0, math.ceil((start_at - now_us()) / 1000))
    end
  end
  return 0
end

local send_times, answer_times = {}, {}
function request()
  if once and reserved == 0 then
    return requests[1] or "" -- wrk's own look at the script's first request before the run: nothing is sent
  end
  sent = sent + 1
  if once then
    send_times[sent] = now_us()
    return requests[sent]
  end
  if fresh_count > 0 and sent % fresh_every == 0 then
    fresh_sent = fresh_sent + 1
    wrk.thread:set("fresh", fresh_sent)
    return fresh[(fresh_sent - 1) % fresh_count + 1]
  end
  repeats_sent = repeats_sent + 1
  return requests[(repeats_sent - 1) % count + 1]
end

local function times_file(k)
  return os.getenv("WEBHOOK_TIMES") .. "." .. k
end

-- Whether every thread's times are written: the last thread to finish stops wrk.
local function all_done()
  for k = 1, shares do
    local f = io.open(times_file(k), "r")
    if not f then return false end
    f:close()
  end
  return true
end

function response(status, headers, body)
  answered = answered + 1
  if once then answer_times[answered] = now_us() end
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 200) end
    wrk.thread:set("bad", bad)
    wrk.thread:set("first_bad", first_bad)
  end
  if once then
    wrk.thread:set("answered", answered)
    wrk.thread:set("sent", sent)
  end
  if once and answered >= mine then
    -- One connection, one delivery at a time: the i-th answer is the i-th delivery's.
    local lines = {}
    for i = 1, answered do lines[i] = send_times[i] .. " " .. answer_times[i] end
    local path = times_file(share or 1)
    local f = assert(io.open(path .. ".part", "w"))
    f:write(table.concat(lines, "\n"), "\n")
    f:close()
    assert(os.rename(path .. ".part", path))
    wrk.thread:stop()
    if all_done() then
      -- SIGINT makes wrk end the run and print its results at once, instead of after -d. Sent from the background,
      -- since os.execute (system) ignores SIGINT while it waits; the shell's parent is wrk. Two threads finishing
      -- together may both send it, which does no harm.
      os.execute("(sleep 0.2; kill -INT $PPID) >/dev/null 2>&1 &")
    end
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

function done(summary, latency, requests_)
  local answered_, sent_, bad_, first, fresh_ = 0, 0, 0, "", 0
  for _, thread in ipairs(threads) do
    fresh_ = fresh_ + (thread:get("fresh") or 0)
    answered_ = answered_ + (thread:get("answered") or 0)
    sent_ = sent_ + (thread:get("sent") or 0)
    bad_ = bad_ + (thread:get("bad") or 0)
    if (thread:get("first_bad") or "") ~= "" then first = thread:get("first_bad") end
  end
  local e = summary.errors
  start_spread = 0
  local elapsed, p50, p90, p99, max = summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max
  if os.getenv("WEBHOOK_MODE") ~= "cycle" then
    -- Each delivery's time to its answer, from the threads' files; and every answer's moment, in order.
    local waits, answers, first_send, matched, last_start = {}, {}, nil, 0, 0
    for k = 1, #threads do
      local f = io.open(times_file(k), "r")
      if f then
        local first_line = true
        for line in f:lines() do
          local s, a = line:match("^(%d+) (%d+)$")
          if s then
            s, a = tonumber(s), tonumber(a)
            matched = matched + 1
            waits[matched] = a - s
            answers[matched] = a
            if not first_send or s < first_send then first_send = s end
            if first_line then last_start, first_line = math.max(last_start, s), false end
          end
        end
        f:close()
      end
    end
    table.sort(waits)
    table.sort(answers)
    if matched > 0 then
      elapsed = answers[matched] - first_send
      p50, p90, p99, max = percentile(waits, 50), percentile(waits, 90), percentile(waits, 99), waits[matched]
      local f = assert(io.open(os.getenv("WEBHOOK_TIMES"), "w"))
      f:write(first_send, "\n", table.concat(answers, "\n"), "\n")
      f:close()
    end
    answered_ = matched
    start_spread = first_send and last_start - first_send or 0
  else
    answered_, sent_ = summary.requests, summary.requests
  end
  io.write(string.format("webhook-bench: requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "sent=%d answered=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d fresh=%d "
      .. "wrk_p50_us=%d wrk_p99_us=%d wrk_max_us=%d start_spread_us=%d\n",
      summary.requests, elapsed, p50, p90, p99, max, sent_, answered_, bad_, e.connect, e.read, e.write, e.timeout,
      fresh_, latency:percentile(50), latency:percentile(99), latency.max, start_spread))
  if first ~= "" then io.write("webhook-bench: first answer that was not 2xx: " .. first .. "\n") end
end
