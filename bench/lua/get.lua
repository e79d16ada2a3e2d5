-- Plain GET load on one path, as a first-time visitor (no cookies). Args (after --): path=/p/slug
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
setup = common.setup

function init(args)
  local opts = common.parse(args)
  path = opts.path or "/"
  statuses = {}
end

function request()
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  common.done(summary, latency, requests)
end
