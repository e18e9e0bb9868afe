#!/usr/bin/env python3
"""bench/reports/bench.py: latency of the report list and the case page with 1,000,000 reports
and 100,000 cases, on SQLite and PostgreSQL.

    python3 bench/reports/bench.py [--stores sqlite,pg] [--reports N] [--cases N]
                                   [--requests N] [--bin build-bench/cshq] [--workdir DIR]

Steps, per store:
 1. a fresh store: `cshq serve --demo` migrates it, loads the registry and the demo users,
    and is stopped again;
 2. the data is written straight into the store (SQLite: one transaction of executemany;
    PostgreSQL: COPY): N reports over the bodies of the registry, 2016-2025, every tenth
    one confirmed with a case (3 timeline entries with basis, 2 notices and the NISC team's
    grant per case); then ANALYZE;
 3. `cshq serve` again (Release build, --threads nproc), and sequential requests over HTTP
    on loopback, each timed from sending to the last byte: the report list with each filter
    (subject; state; a one-month date range; subject + state; subject + date range) as
    the NISC director and as a ministry user, the case page (GET /api/v1/cases/{id}) as
    the director, and the overdue list;
 4. p50 / p99 / max per query in milliseconds, then everything it started is stopped.

Without --bin it builds cshq (Release) in build-bench/. PostgreSQL comes from
scripts/pg-test-cluster.sh. Standard library only.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO_PASSWORD = "bench-demo-password"
ADMIN_PASSWORD = "bench-admin-password"
JST = 9 * 3600
EPOCH_2016 = 1451574000  # 2016-01-01T00:00:00+09:00
SPAN = 10 * 365 * 86400
STATES = [("acknowledged", 45), ("received", 15), ("awaiting_ministry", 10), ("draft", 10),
          ("info_requested", 10)]  # plus confirmed_major for every tenth report
CASE_STATES = [("opened", 1), ("investigating", 2), ("results_compiled", 2), ("results_notified", 3),
               ("recovery_planned", 4), ("closed", 4)]
BASIS = json.dumps([
    {"doc": "MajorIncidentRules", "version": "2016", "article": 4, "paragraph": None, "item": None,
     "text_ja": "サイバーセキュリティ戦略本部長（以下「本部長」という。）は、特定重大事象に該当する事象の発生を確認したときは、"
                "その旨を当該行政機関等の長（当該特定重大事象が独立行政法人等で発生したものであるときは、当該独立行政法人等を"
                "所管する行政機関の長及び当該独立行政法人等の長とする。第８条を除き、以下同じ。）に通知するものとする。"},
    {"doc": "MajorIncidentRules", "version": "2016", "article": 1, "paragraph": None, "item": 2,
     "text_ja": "情報の漏えいを伴う事象であって、国民生活又は社会経済に重大な影響を与え、又は与えるおそれがあるもの"},
], ensure_ascii=False, separators=(",", ":"))
SUMMARY = "外部からの不審な通信を検知し、端末の調査を行った。" * 6


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    def __init__(self, binary, store_args, workdir, demo=False):
        self.port = free_port()
        env = dict(os.environ, CSHQ_ADMIN_PASSWORD=ADMIN_PASSWORD, CSHQ_DEMO_PASSWORD=DEMO_PASSWORD)
        self.log = open(os.path.join(workdir, "server.log"), "a")
        args = [binary, "serve", *store_args, "--listen", f"127.0.0.1:{self.port}",
                "--threads", str(os.cpu_count() or 2)] + (["--demo"] if demo else [])
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        for _ in range(600):
            try:
                if self.request("GET", "/api/v1/health")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("cshq serve did not start; see server.log")

    def request(self, method, path, body=None, token=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = f"Bearer {token}"
        c.request(method, path, json.dumps(body) if body is not None else None, h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def login(self, login):
        st, data = self.request("POST", "/api/v1/session", {"login": login, "password": DEMO_PASSWORD})
        assert st == 200, data
        return json.loads(data)["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def jst_day(t):
    return (t + JST) // 86400


def generate(n_reports, n_cases, orgs, seed=1):
    """Yields the rows of every table, deterministic for a seed."""
    rnd = random.Random(seed)
    subjects = [code for code, kind in orgs if kind in ("ministry", "iai", "corporation")]
    weights = [8 if kind == "ministry" else 2 for code, kind in orgs if kind in ("ministry", "iai", "corporation")]
    state_names = [s for s, _ in STATES]
    state_w = [w for _, w in STATES]
    reports, cases, timeline, notices, grants = [], [], [], [], []
    every = max(1, n_reports // max(1, n_cases))
    case_id = 0
    now = int(time.time())
    for rid in range(1, n_reports + 1):
        subject = rnd.choices(subjects, weights)[0]
        occurred = EPOCH_2016 + rnd.randrange(SPAN)
        created = occurred + rnd.randrange(86400 * 3)
        confirmed = rid % every == 0 and case_id < n_cases
        state = "confirmed_major" if confirmed else rnd.choices(state_names, state_w)[0]
        cid = None
        if confirmed:
            case_id += 1
            cid = case_id
            cstate, stage = rnd.choice(CASE_STATES)
            opened = created + 86400
            since = opened + rnd.randrange(86400 * 60)
            closed = since + 86400 if cstate == "closed" else None
            cases.append((cid, rid, subject, cstate, stage, min(since, now), 3, "[2]", "個人情報の漏えいのおそれ", occurred,
                          opened, closed, "nisc.director", opened))
            for k, (action, to) in enumerate((("confirm", "opened"), ("record_org_investigation", "investigating"),
                                             ("give_guidance", None))):
                timeline.append(("case", cid, opened + k * 3600, "nisc.director", "nisc", action, None if k == 0 else "opened",
                                 to, '{"notices":[{"to_org":"%s","subject":"通知"}]}' % subject, BASIS))
            for to_org in (subject, "nisc"):
                notices.append((to_org, None, f"特定重大事象の発生の確認（事案 {cid}）", "case", cid, BASIS, opened, None))
            grants.append(("case", cid, "nisc", None, "NISC case team", opened, None))
        item = 3 if rnd.random() < 0.1 else 1
        reports.append((rid, subject, item, f"事象 {rid}", SUMMARY, occurred, jst_day(occurred), occurred + 3600,
                        None if state == "draft" else created, "[]", "intrusions", "system-compromise", 2, "AMBER", "[]",
                        state, None if state == "draft" else ("direct" if subject.startswith("m") else "via"), None,
                        subject, "bench", created, created, cid))
    return reports, cases, timeline, notices, grants


REPORT_COLS = ("id, subject, item, title, summary, occurred_at, occurred_date, detected_at, reported_at, affected_systems, "
               "rsit_class, rsit_type, confidentiality, tlp, indicators, state, route, via, filed_by_org, created_by, "
               "created_at, updated_at, case_id")
CASE_COLS = ("id, report_id, subject, state, stage, stage_since, confidentiality, criteria, rationale, occurred_at, "
             "opened_at, closed_at, created_by, updated_at")
TL_COLS = "record_kind, record_id, at, actor, org, action, from_state, to_state, detail, basis"
NOTICE_COLS = "to_org, to_role, subject, record_kind, record_id, basis, created_at, read_at"
GRANT_COLS = "record_kind, record_id, grantee_org, grantee_user, reason, from_at, until_at"


def tables(data):
    reports, cases, timeline, notices, grants = data
    return [("reports", REPORT_COLS, reports), ("cases", CASE_COLS, cases), ("wf_timeline", TL_COLS, timeline),
            ("notifications", NOTICE_COLS, notices), ("access_grants", GRANT_COLS, grants)]


def load_sqlite(path, data):
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        for name, cols, rows in tables(data):
            marks = ", ".join("?" * len(cols.split(",")))
            con.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", rows)
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def psql(conninfo, *args, stdin=None):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conninfo, *args], input=stdin,
                         capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout


def copy_text(v):
    if v is None:
        return "\\N"
    return str(v).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load_pg(conninfo, workdir, data):
    for name, cols, rows in tables(data):
        path = os.path.join(workdir, f"{name}.tsv")
        with open(path, "w", encoding="utf-8") as f:
            for r in rows:
                f.write("\t".join(copy_text(v) for v in r) + "\n")
        psql(conninfo, "-c", f"\\copy {name} ({cols}) FROM '{path}'")
        os.unlink(path)
    for t in ("reports", "cases", "wf_timeline", "notifications", "access_grants"):
        psql(conninfo, "-c", f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
    psql(conninfo, "-c", "VACUUM ANALYZE")  # a long-lived store has been vacuumed: index-only scans


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def cpu_seconds(pid):
    """User + system CPU time of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(srv, token, paths, n):
    """p50, p99 and max wall time in ms, and the server's CPU ms per request (which the load
    of other work on a shared machine moves much less than wall time)."""
    times = []
    cpu0 = cpu_seconds(srv.proc.pid)
    for i in range(n):
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        st, data = srv.request("GET", path, token=token)
        times.append((time.perf_counter() - t0) * 1000)
        if st != 200:
            raise RuntimeError(f"{path}: {st} {data[:200]}")
    cpu = (cpu_seconds(srv.proc.pid) - cpu0) * 1000 / n
    return percentile(times, 50), percentile(times, 99), max(times), cpu


def run_store(store, args, binary, workdir):
    d = os.path.join(workdir, store)
    os.makedirs(d, exist_ok=True)
    if store == "pg":
        cluster = os.path.join(d, "cluster")
        base = subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "start", cluster],
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        psql(base, "-c", "CREATE DATABASE bench")
        conninfo = f"{base} dbname=bench"
        store_args = ["--pg", conninfo]
    else:
        path = os.path.join(d, "bench.db")
        store_args = ["--db", path]
    try:
        srv = Serve(binary, store_args, d, demo=True)
        director = srv.login("nisc.director")
        st, data = srv.request("GET", "/api/v1/orgs?limit=500", token=director)
        orgs = [(o["code"], o["kind"]) for o in json.loads(data)["items"]]
        srv.stop()
        t0 = time.time()
        data = generate(args.reports, args.cases, orgs)
        log(f"{store}: generated in {time.time() - t0:.1f} s")
        t0 = time.time()
        if store == "pg":
            load_pg(conninfo, d, data)
        else:
            load_sqlite(path, data)
        log(f"{store}: loaded {len(data[0])} reports, {len(data[1])} cases, {len(data[2])} timeline entries in "
            f"{time.time() - t0:.1f} s")
        srv = Serve(binary, store_args, d)
        director, ministry = srv.login("nisc.director"), srv.login("mhlw.csirt")
        rnd = random.Random(7)
        subjects = sorted({r[1] for r in data[0][:5000]})
        mhlw_bodies = ["mhlw", "jps", "gpif", "pmda"]
        states = ["received", "acknowledged", "awaiting_ministry", "confirmed_major", "draft"]

        def month():
            y, m = rnd.randrange(2016, 2026), rnd.randrange(1, 13)
            return f"from={y}-{m:02d}-01&to={y}-{m:02d}-28"

        case_ids = [c[0] for c in data[1]]
        queries = {
            "list subject": lambda s: [f"/api/v1/reports?subject={rnd.choice(s)}" for _ in range(50)],
            "list state": lambda s: [f"/api/v1/reports?state={rnd.choice(states)}" for _ in range(50)],
            "list date range": lambda s: [f"/api/v1/reports?{month()}" for _ in range(50)],
            "list subject+state": lambda s: [f"/api/v1/reports?subject={rnd.choice(s)}&state={rnd.choice(states)}"
                                             for _ in range(50)],
            "list subject+date": lambda s: [f"/api/v1/reports?subject={rnd.choice(s)}&{month()}" for _ in range(50)],
        }
        results = []
        for who, token, subj in (("director", director, subjects), ("mhlw", ministry, mhlw_bodies)):
            for name, make in queries.items():
                paths = make(subj)
                measure(srv, token, paths, len(paths))  # warm-up: each distinct request once
                results.append((f"{name} ({who})", *measure(srv, token, paths, args.requests)))
        pages = [f"/api/v1/cases/{rnd.choice(case_ids)}" for _ in range(200)]
        measure(srv, director, pages, len(pages))
        results.append(("case page (director)", *measure(srv, director, pages, args.requests)))
        st, _ = srv.request("PUT", "/api/v1/case-stage-targets", {"stage_targets_hours": {"1": 72, "2": 720}},
                            token=director)
        assert st == 200
        results.append(("overdue cases (director)",
                        *measure(srv, director, ["/api/v1/cases?overdue=1"], max(20, args.requests // 10))))
        srv.stop()
        return results
    finally:
        if store == "pg":
            subprocess.run(["sh", os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "stop", cluster],
                           capture_output=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stores", default="sqlite,pg")
    ap.add_argument("--reports", type=int, default=1_000_000)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--bin")
    ap.add_argument("--workdir")
    args = ap.parse_args()
    binary = args.bin
    if not binary:
        build = os.path.join(ROOT, "build-bench")
        subprocess.run(["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", build, "-j", str(os.cpu_count() or 2), "--target", "cshq"], check=True,
                       stdout=subprocess.DEVNULL)
        binary = os.path.join(build, "cshq")
    workdir = args.workdir or tempfile.mkdtemp(prefix="cshq-bench-reports-")
    print(f"# reports bench {time.strftime('%Y-%m-%d %H:%M')}; {args.reports} reports, {args.cases} cases; "
          f"{args.requests} sequential requests per query; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}")
    try:
        for store in args.stores.split(","):
            res = run_store(store, args, binary, workdir)
            print(f"\n{store}: query | p50 ms | p99 ms | max ms | server CPU ms/request")
            for name, p50, p99, mx, cpu in res:
                print(f"{store} | {name} | {p50:.2f} | {p99:.2f} | {mx:.2f} | {cpu:.2f}")
            sys.stdout.flush()
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
