-- wrk.lua: the request of bench/server/run.sh. Sends the bearer token from the environment
-- (CSHQ_TOKEN; none when empty) with every request, to cshq and to nginx alike so both
-- receive the same bytes, and prints one machine-readable line at the end for run.sh.
local token = os.getenv("CSHQ_TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d status_errors=%d timeouts=%d lat_mean_us=%.1f lat_stdev_us=%.1f " ..
    "lat_p50_us=%d lat_p90_us=%d lat_p99_us=%d lat_max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency.stdev, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
