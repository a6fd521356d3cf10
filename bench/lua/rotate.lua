-- rotate.lua - GET the paths of BENCH_IDS in turn (the dashboard's counts).
local paths, i
function scenario_init() paths = lines_of("BENCH_IDS"); i = 0 end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
