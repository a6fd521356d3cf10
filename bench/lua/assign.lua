-- assign.lua - POST /api/v1/problems/{id}/assign on assigned problems (BENCH_IDS):
-- the office changes an assignment before the unit signs, to the routed unit
-- with its default deadline.  A real transition: state, event, audit row.
local ids
function scenario_init() ids = lines_of("BENCH_IDS") end
function request()
  return request_with("POST", "/api/v1/problems/" .. ids[math.random(#ids)] .. "/assign",
    {["Content-Type"] = "application/json"}, '{"note":"压测：调整交办"}')
end
