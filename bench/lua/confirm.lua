-- Confirmation load: GET /s/confirm/{token} with tokens seeded by bench/sql/seed.sql ('bc' + 41-digit number).
-- Each thread takes its own slice of the range, so no token is used twice.
-- Args (after --): start=FIRST_INDEX per_thread=N
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
setup = common.setup

function init(args)
  local opts = common.parse(args)
  first = tonumber(opts.start) + (thread_id - 1) * tonumber(opts.per_thread)
  per_thread = tonumber(opts.per_thread)
  statuses = {}
  n = 0
  exhausted = 0
end

function request()
  if n >= per_thread then exhausted = 1 end
  local i = first + (n % per_thread)
  n = n + 1
  return wrk.format("GET", "/s/confirm/bc" .. string.format("%041d", i))
end

function response(status, headers, body)
  common.count(status)
end

function done(summary, latency, requests)
  common.done(summary, latency, requests, { "exhausted" })
end
