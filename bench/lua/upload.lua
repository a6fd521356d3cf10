-- upload.lua - POST /api/v1/files: the photo BENCH_PHOTO as multipart/form-data.
local body, ctype
function scenario_init()
  local f = assert(io.open(os.getenv("BENCH_PHOTO"), "rb"))
  local jpeg = f:read("*a")
  f:close()
  local b = "----wenmingbench7d93a1"
  ctype = "multipart/form-data; boundary=" .. b
  body = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"IMG_0001.jpg\"\r\n" ..
    "Content-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n--" .. b .. "--\r\n"
end
function request()
  return request_with("POST", "/api/v1/files", {["Content-Type"] = ctype}, body)
end
