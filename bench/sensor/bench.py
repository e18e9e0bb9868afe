#!/usr/bin/env python3
"""bench.py SENSOR WORKDIR: the measurements behind bench/sensor/run.sh.

For each indicator set the sensor reads bench.pcap three times with one worker; the
median run is reported: indicator load time (wall and CPU, from the sensor's own
report and getrusage), packets/s over the capture phase, its ratio to tcpdump's rate
on the same file (tcpdump -r FILE -w /dev/null, median of three, measured in this same
run), and the peak RSS of the process."""
import os
import re
import resource
import statistics
import subprocess
import sys
import time

SENSOR, WORK = sys.argv[1], sys.argv[2]
PCAP = os.path.join(WORK, "bench.pcap")
RUNS = 3


def tcpdump_rate(npkts):
    """Wall-clock rate and CPU seconds (medians)."""
    times, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run(["tcpdump", "-r", PCAP, "-w", "/dev/null"], check=True,
                       stderr=subprocess.DEVNULL)
        times.append(time.monotonic() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return npkts / statistics.median(times), statistics.median(times), statistics.median(cpus)


def sensor_run(iocs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([SENSOR, "--read", PCAP, "--indicators", iocs, "--eve", "/dev/null",
                        "--no-progress", "--stats-interval", "0"], check=True,
                       stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = r.stderr
    load = re.search(r"indicators: (\d+) loaded in (\d+) ms", err)
    summ = re.search(r"(\d+) packets, (\d+) alerts.* in ([\d.]+) s \((\d+) packets/s\), peak RSS ([\d.]+) MB", err)
    return {"indicators": int(load.group(1)), "load_ms": int(load.group(2)),
            "packets": int(summ.group(1)), "alerts": int(summ.group(2)),
            "seconds": float(summ.group(3)), "pps": int(summ.group(4)),
            "rss_mb": max(float(summ.group(5)), after.ru_maxrss / 1024.0),
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}


def load_cpu(iocs):
    """CPU seconds of loading alone (--check loads and exits)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([SENSOR, "--check", "--indicators", iocs], check=True, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    sets = [("10k IPs + 10k domains", "iocs-10000-ipdom.csv"),
            ("100k IPs + 100k domains", "iocs-100000-ipdom.csv"),
            ("1M IPs + 1M domains", "iocs-1000000-ipdom.csv"),
            ("1M of each of the 9 types", "iocs-1000000-all.csv")]
    first = sensor_run(os.path.join(WORK, sets[0][1]))
    npkts = first["packets"]
    td_pps, td_s, td_cpu = tcpdump_rate(npkts)
    print("capture: %s, %d packets; tcpdump -r -w /dev/null: %.2f s, %.0f packets/s, %.2f s CPU (median of %d)"
          % (PCAP, npkts, td_s, td_pps, td_cpu, RUNS))
    print("machine: %d CPUs, load average %.2f at start" % (os.cpu_count(), os.getloadavg()[0]))
    print()
    print("Wall-clock columns depend on what else the machine runs; the CPU columns do not:")
    print("'inspect CPU' is the sensor's CPU time minus its loading, over both threads.")
    print()
    print("| indicators | loaded | load wall | load CPU | packets/s | vs tcpdump | vs 10k case | inspect CPU | vs tcpdump CPU | peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    base = None
    for label, f in sets:
        path = os.path.join(WORK, f)
        if not os.path.exists(path):
            continue
        n = 1 if "all" in f else RUNS  # the 9M-indicator set: one run (its load is long)
        runs = sorted((sensor_run(path) for _ in range(n)), key=lambda r: r["pps"])
        m = runs[len(runs) // 2]
        cpu = load_cpu(path)
        if base is None:
            base = m["pps"]
        icpu = statistics.median(r["cpu_s"] for r in runs) - cpu
        print("| %s | %d | %.2f s | %.2f s | %d | %.0f%% | %.0f%% | %.2f s | %.0f%% | %.0f MB |" % (
            label, m["indicators"], m["load_ms"] / 1000.0, cpu, m["pps"], 100.0 * m["pps"] / td_pps,
            100.0 * m["pps"] / base, icpu, 100.0 * td_cpu / icpu if icpu > 0 else 0,
            max(r["rss_mb"] for r in runs)))
    print()
    print("tcpdump re-measured after: %.0f packets/s; load average %.2f at end" % (tcpdump_rate(npkts)[0], os.getloadavg()[0]))


if __name__ == "__main__":
    main()
