-- common.lua - put in front of every scenario script by bench/run.sh.
-- The session comes from the environment (BENCH_COOKIE, BENCH_CSRF); done()
-- writes the summary as one JSON line to BENCH_OUT for run.sh's table.
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
if csrf ~= "" then wrk.headers["X-CSRF-Token"] = csrf end

-- The lines of a file given by the environment variable name (ids, bodies).
function lines_of(var)
  local path = os.getenv(var)
  local out = {}
  if path then
    for line in io.lines(path) do
      if line ~= "" then out[#out + 1] = line end
    end
  end
  if #out == 0 then error(var .. ": no lines") end
  return out
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0))
  if scenario_init then scenario_init() end
end

function done(summary, latency, requests)
  local e = summary.errors
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"status_errors":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
  f:close()
end

-- wrk.format with the session headers plus extra (wrk.format replaces
-- wrk.headers when it is given a table).
function request_with(method, path, extra, body)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra or {}) do h[k] = v end
  return wrk.format(method, path, h, body)
end
