-- detail.lua - GET /api/v1/problems/{id} for ids within the caller's scope (BENCH_IDS).
local ids
function scenario_init() ids = lines_of("BENCH_IDS") end
function request()
  return wrk.format("GET", "/api/v1/problems/" .. ids[math.random(#ids)])
end
