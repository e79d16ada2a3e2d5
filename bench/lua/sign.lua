-- Signing load. Each connection first GETs the petition page, then POSTs the sign form with a unique email and the
-- Origin and Sec-Fetch-Site headers a browser sends; when the page carries an antiforgery cookie and form token
-- (older commits) they are posted too. wrk does not say which connection a request is for, so
-- the first request of every connection is a GET (all connections open at once), and POSTs use the pairs collected.
-- Args (after --): run=ID slugs=PREFIX count=N (petitions PREFIX001..N; count=0 means the slug PREFIX alone)
--                  page=/p/slug conns=CONNECTIONS_PER_THREAD
-- Env BENCH_DELAY_MS paces each connection (a background load at a fixed rate instead of flat out).
package.path = package.path .. ";" .. debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "?.lua"
local common = require("common")
setup = common.setup

function init(args)
  local opts = common.parse(args)
  run = opts.run or "0"
  prefix = opts.slugs or "bench-p-"
  count = tonumber(opts.count or "100")
  page = opts.page or "/p/bench-viral"
  conns = tonumber(opts.conns or "32")
  statuses = {}
  accepted = 0
  pairs_ = {}
  gets = 0
  n = 0
  origin = "http://" .. wrk.host .. ":" .. tostring(wrk.port)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  if gets < conns or #pairs_ == 0 then
    gets = gets + 1
    return wrk.format("GET", page)
  end
  n = n + 1
  local pair = pairs_[(n % #pairs_) + 1]
  local slug
  if count == 0 then slug = prefix else slug = prefix .. string.format("%03d", (n % count) + 1) end
  local body = "Form.FullName=Bench+Signer&Form.Email=r" .. run .. "t" .. thread_id .. "n" .. n .. "%40bench.example.org" ..
    "&Form.Country=GB&Form.PostcodeOrCity=London&Form.ShowPublicly=true&Form.EmailUpdates=false" ..
    (pair.token and ("&__RequestVerificationToken=" .. pair.token) or "")
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin, ["Sec-Fetch-Site"] = "same-origin" }
  if pair.cookie then headers["Cookie"] = "petitions.af=" .. pair.cookie end
  return wrk.format("POST", "/p/" .. slug .. "/sign", headers, body)
end

-- A paced load must reach its rate although each request's own latency adds to the delay: with BENCH_RATE (the
-- thread's target per second) the delay is corrected once a second by the rate reached in the second before.
local pacing = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local target = tonumber(os.getenv("BENCH_RATE") or "0")
local window, window_count = os.time(), 0
if pacing > 0 then
  function delay() return math.floor(pacing) end
end

local function adjust_pacing()
  window_count = window_count + 1
  local now = os.time()
  if target > 0 and now ~= window then
    local reached = window_count / (now - window)
    local factor = math.max(0.5, math.min(2, reached / target))
    pacing = math.max(1, math.min(1000, pacing * factor))
    window, window_count = now, 0
  end
end

function response(status, headers, body)
  common.count(status)
  if status == 302 then
    accepted = accepted + 1
    adjust_pacing()
  elseif status == 200 and body then
    local cookie = (headers["Set-Cookie"] or headers["set-cookie"] or ""):match("petitions%.af=([^;]+)")
    local token = body:match('name="__RequestVerificationToken" type="hidden" value="([^"]+)"')
    if cookie and token then table.insert(pairs_, { cookie = cookie, token = urlencode(token) })
    else table.insert(pairs_, {}) end
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, requests, { "accepted" })
end
