#!/usr/bin/env python3
"""bench_ingest.py: alert ingestion throughput of `cshq serve` (POST /api/v1/alerts).

Starts a server on a fresh store (SQLite file, or a database in a throwaway PostgreSQL
cluster), registers one sensor per client for covered bodies, then runs CLIENTS
concurrent processes, each posting BATCHES batches of BATCH EVE alert events (JSON arrays
of about 1 KiB per event, as cshq-sensor writes them) over one keep-alive connection.
Prints alerts/s over the whole run and the p50/p99/max latency of one batch (request sent
to answer received, which the server gives only after the commit).

  bench_ingest.py --bin build/cshq --store sqlite
  bench_ingest.py --bin build/cshq --store pg --pg-dir /tmp/bench-pg   (starts and stops a cluster)

Standard library only. Batches are built before the clock starts."""
import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ADMIN_PW = "bench-admin-password"
DEMO_PW = "bench-demo-password"
ORGS = ["jps", "nict", "mhlw", "mof", "gpif", "pmda", "mic", "mofa"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, token=None, raw=None, ctype="application/json"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = {"Content-Type": ctype}
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request(method, path, body=raw if raw is not None else (json.dumps(body).encode() if body is not None else None),
                 headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, json.loads(data) if data else None


def server_cpu(pid):
    """CPU seconds (user+system) the server process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def event(seq, sensor, rnd, now):
    kind = rnd.random()
    ip = "203.0.113.%d" % rnd.randrange(1, 60)
    if kind < 0.4:
        t, v, m, app = "ipv4", ip, ip, {"tls": {"sni": "cdn%d.example.net" % rnd.randrange(100), "ja3": {
            "hash": "%032x" % rnd.getrandbits(128), "string": "771,4865-4866-4867,0-23-65281,29-23-24,0"},
            "ja4": "t13d1516h2_8daaf6152771_b186095e22b6"}}
    elif kind < 0.8:
        d = "bad%d.example" % rnd.randrange(40)
        t, v, m, app = "domain_suffix", d, "www%d.%s" % (rnd.randrange(9), d), {
            "dns": {"version": 2, "type": "query", "id": seq & 0xFFFF, "rrname": "www.%s" % d, "rrtype": "A"}}
    else:
        u = "http://drop%d.example/files/" % rnd.randrange(20)
        t, v, m, app = "url_prefix", u, u + "payload-%d.bin" % seq, {"http": {
            "hostname": u.split("/")[2], "url": "/files/payload-%d.bin" % seq, "http_user_agent": "Mozilla/5.0 (bench)",
            "http_method": "GET", "protocol": "HTTP/1.1"}}
    e = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now - rnd.randrange(3600))) + ".%06d+0000" % rnd.randrange(10**6),
         "flow_id": rnd.getrandbits(50), "in_iface": "eth1", "event_type": "alert",
         "src_ip": "10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)),
         "src_port": rnd.randrange(1024, 65535), "dest_ip": ip, "dest_port": 443, "proto": "TCP",
         "app_proto": next(iter(app)),
         "alert": {"action": "allowed", "gid": 1, "signature_id": 1000000000 + rnd.randrange(900000000), "rev": 1,
                   "signature": "CSHQ indicator match: %s %s" % (t, v), "category": "Known bad indicator", "severity": 1}}
    e.update(app)
    e["cshq"] = {"indicator_type": t, "indicator_value": v, "matched_value": m, "source": "bench", "tlp": "TLP:AMBER",
                 "sensor": sensor, "seq": seq}
    return e


def client(args):
    port, token, name, batches, size, seed, ready, go = args
    rnd = random.Random(seed)
    now = int(time.time())
    bodies = [json.dumps([event(b * size + i + 1, name, rnd, now) for i in range(size)]).encode() for b in range(batches)]
    ready.put(name)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    lat, accepted = [], 0
    go.wait()
    for body in bodies:
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/alerts", body=body,
                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        lat.append(time.perf_counter() - t0)
        if r.status != 200:
            raise SystemExit("%s: HTTP %d %s" % (name, r.status, data[:300]))
        accepted += json.loads(data)["accepted"]
    conn.close()
    return lat, accepted, sum(len(b) for b in bodies)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "cshq"))
    ap.add_argument("--store", choices=["sqlite", "pg"], default="sqlite")
    ap.add_argument("--pg-dir", default=None, help="directory for a throwaway cluster (scripts/pg-test-cluster.sh)")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--batches", type=int, default=50, help="per client")
    ap.add_argument("--batch", type=int, default=1000, help="events per batch")
    ap.add_argument("--threads", type=int, default=0, help="server threads (default: the server's own)")
    ap.add_argument("--dir", default=None, help="where the SQLite file goes (default: a temporary directory)")
    ap.add_argument("--perf", default="", help="record a perf profile of the server during the run into this file")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="cshq-bench-", dir=a.dir)
    pg_dir = None
    if a.store == "pg":
        pg_dir = a.pg_dir or os.path.join(tmp, "pg")
        out = subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "start", pg_dir],
                             capture_output=True, text=True, check=True)
        store = ["--pg", out.stdout.strip().splitlines()[-1]]
    else:
        store = ["--db", os.path.join(tmp, "bench.db")]
    port = free_port()
    env = dict(os.environ, CSHQ_ADMIN_PASSWORD=ADMIN_PW, CSHQ_DEMO_PASSWORD=DEMO_PW)
    cmd = [a.bin, "serve", *store, "--listen", "127.0.0.1:%d" % port, "--demo"]
    if a.threads:
        cmd += ["--threads", str(a.threads)]
    log = open(os.path.join(tmp, "server.log"), "w")
    srv = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(600):
            try:
                if request(port, "GET", "/api/v1/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        st, s = request(port, "POST", "/api/v1/session", {"login": "nisc.staff", "password": DEMO_PW})
        assert st == 200, s
        nisc = s["token"]
        sensors = []
        for i in range(a.clients):
            st, b = request(port, "POST", "/api/v1/sensors", {"org": ORGS[i % len(ORGS)], "name": "bench-%d" % i}, nisc)
            assert st == 201, b
            sensors.append(b)
        mgr = multiprocessing.Manager()
        ready, go = mgr.Queue(), mgr.Event()
        with multiprocessing.Pool(a.clients) as pool:
            res = pool.map_async(client, [(port, s["token"], s["name"], a.batches, a.batch, 1000 + i, ready, go)
                                          for i, s in enumerate(sensors)])
            for _ in sensors:
                ready.get(timeout=600)
            cpu0 = server_cpu(srv.pid)
            perf = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-o", a.perf, "-p", str(srv.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if a.perf else None
            t0 = time.perf_counter()
            go.set()
            results = res.get(timeout=3600)
            elapsed = time.perf_counter() - t0
            if perf:
                perf.send_signal(2)
                perf.wait()
        lat = sorted(x for r in results for x in r[0])
        accepted = sum(r[1] for r in results)
        nbytes = sum(r[2] for r in results)
        p = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
        print("store=%s clients=%d batches=%d batch=%d threads=%s" % (a.store, a.clients, len(lat), a.batch,
                                                                     a.threads or "default"))
        print("alerts accepted: %d in %.2f s -> %.0f alerts/s (%.1f MB/s of JSON)" % (
            accepted, elapsed, accepted / elapsed, nbytes / elapsed / 1e6))
        print("batch latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (p(0.50) * 1e3, p(0.99) * 1e3, lat[-1] * 1e3))
        cpu = server_cpu(srv.pid) - cpu0
        if True:
            print("server CPU: %.2f s (user+system) -> %.0f alerts per CPU-second of the server" % (
                cpu, accepted / cpu if cpu else 0))
        assert accepted == a.clients * a.batches * a.batch, "not every alert was accepted"
    finally:
        srv.terminate()
        try:
            srv.wait(10)
        except subprocess.TimeoutExpired:
            srv.kill()
        log.close()
        if pg_dir:
            subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "stop", pg_dir],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
