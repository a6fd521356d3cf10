-- soak.lua - wrk script for `make soak` (tests/soak/soak.sh).
--
-- Every connection is keep-alive and logged in (the session cookie comes in
-- WENMING_COOKIE).  Requests alternate: a page of the unit list (a real
-- query with the data-scope filter, JSON out) and the health check.  Any
-- answer other than 200 is counted per status and printed at the end; the
-- shell script fails the run on any of them or on any socket error.

local cookie = os.getenv("WENMING_COOKIE")
local paths = { "/api/v1/units?page=1&size=20", "/api/v1/health",
                "/api/v1/users?page=2&size=20", "/api/v1/health" }
local counter = 0
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   bad = {}
   nbad = 0
end

function request()
   counter = counter + 1
   local path = paths[(counter % #paths) + 1]
   return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function response(status, headers, body)
   if status ~= 200 then
      nbad = nbad + 1
      bad[status] = (bad[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local total = 0
   for _, t in ipairs(threads) do
      total = total + (t:get("nbad") or 0)
      local b = t:get("bad")
      if b then
         for status, n in pairs(b) do
            io.write(string.format("soak: status %d answered %d times\n", status, n))
         end
      end
   end
   io.write(string.format("soak: non-200 answers: %d\n", total))
   io.write(string.format("soak: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
