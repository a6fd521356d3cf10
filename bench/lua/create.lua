-- create.lua - POST /api/v1/problems: a grid worker reports at a point
-- (BENCH_IDS lines: "category_id point_id").
local pairs_
function scenario_init() pairs_ = lines_of("BENCH_IDS") end
function request()
  local cat, point = pairs_[math.random(#pairs_)]:match("(%d+)%s+(%d+)")
  local body = string.format(
    '{"category_id":%s,"point_id":%s,"description":"压测：路口非机动车乱停乱放，影响通行","source":"grid"}',
    cat, point)
  return request_with("POST", "/api/v1/problems", {["Content-Type"] = "application/json"}, body)
end
