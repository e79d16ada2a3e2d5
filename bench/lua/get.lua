-- Plain GET load on one path, as a first-time visitor (no cookies). Args (after --): path=/p/slug
-- accept=VALUE sends that Accept-Encoding (e.g. "gzip, deflate, br", what browsers send); without it wrk sends none
-- and reads the identity copy.
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
setup = common.setup

function init(args)
  local opts = common.parse(args)
  path = opts.path or "/"
  headers = {}
  if opts.accept and opts.accept ~= "" then headers["Accept-Encoding"] = opts.accept end
  statuses = {}
end

function request()
  return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
  common.done(summary, latency, requests)
end
