-- Shared by the wrk scripts: argument parsing, per-thread counters, and a one-line JSON summary for bench.py.
-- wrk gives each thread its own Lua state; setup() runs in the main state and hands each thread an id.
local M = {}
local threads = {}
local next_id = 1

function M.setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function M.parse(args)
  local opts = {}
  for _, a in ipairs(args) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then opts[k] = v end
  end
  return opts
end

-- Called from each thread's response(): counts statuses by class.
function M.count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function M.done(summary, latency, requests, extra_keys)
  local totals = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses") or {}
    for code, n in pairs(s) do totals[code] = (totals[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(totals) do table.insert(parts, string.format('"%d": %d', code, n)) end
  local extras = {}
  for _, key in ipairs(extra_keys or {}) do
    local sum = 0
    for _, t in ipairs(threads) do sum = sum + (t:get(key) or 0) end
    table.insert(extras, string.format('"%s": %d', key, sum))
  end
  io.write(string.format(
    'BENCH_JSON {"duration_us": %d, "requests": %d, "statuses": {%s}, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}%s%s}\n',
    summary.duration, summary.requests, table.concat(parts, ", "),
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    #extras > 0 and ", " or "", table.concat(extras, ", ")))
end

return M
