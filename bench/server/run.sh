#!/bin/sh
# run.sh: requests per second of cshq for an authenticated read, against nginx serving the
# same bytes from a file, on the same machine, in the same run, measured the same way.
#
#   bench/server/run.sh            (from anywhere; see bench/README.md)
#
# Steps: builds cshq (Release) unless CSHQ_BIN is given; starts it on a fresh SQLite store
# with the demo users; logs in as LOGIN to get a bearer token; saves the answer of
# GET /api/v1/orgs/ORG into a file that nginx (started here, loopback only) serves under the
# same path with the same security headers; then runs wrk with the same Lua script (which
# sends the Authorization header) against nginx, cshq on SQLite, cshq on PostgreSQL (a
# throwaway cluster from scripts/pg-test-cluster.sh) and nginx again. Prints req/s and
# latencies of each and the ratio cshq/nginx (mean of the two nginx runs).
#
# Settings (environment):
#   DURATION=15s CONNECTIONS=64 WRK_THREADS=2   wrk -d/-c/-t
#   SERVER_THREADS=$(nproc)                     cshq --threads and nginx worker_processes
#   ORG=jps LOGIN=jps.csirt                     the record read and the account reading it
#   STORES="sqlite pg"                          which stores to measure
#   BREAKDOWN=1                                 also GET /api/v1/health without and with the
#                                               token: the cost of HTTP + one transaction,
#                                               then of resolving the token, then of the read
#   CSHQ_BIN=path                               use this binary instead of building one
#   BUILD_DIR=build-bench                       where the Release build goes
#   CMAKE_ARGS="..."                            extra arguments for configuring that build
# Needs wrk, nginx, cmake, python3 (Debian: apt-get install -y wrk nginx); PostgreSQL is
# installed by scripts/pg-test-cluster.sh when running as root.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/server
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-$(nproc)}
ORG=${ORG:-jps}
LOGIN=${LOGIN:-jps.csirt}
STORES=${STORES:-sqlite pg}
BREAKDOWN=${BREAKDOWN:-0}
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
LIFETIME=1800 # seconds: every process started here stops by itself after this

for tool in wrk nginx cmake python3; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
		echo "run.sh: $tool not found (apt-get install -y wrk nginx cmake python3)" >&2
		exit 1
	}
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -z "${CSHQ_BIN:-}" ]; then
	echo "run.sh: building cshq (Release) in $BUILD_DIR" >&2
	# shellcheck disable=SC2086 # CMAKE_ARGS is a list of arguments
	cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${CMAKE_ARGS:-} >/dev/null
	cmake --build "$BUILD_DIR" -j"$(nproc)" --target cshq >/dev/null
	CSHQ_BIN=$BUILD_DIR/cshq
	BUILT_FROM="built here from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || BUILT_FROM="$BUILT_FROM with local changes in src/"
else
	BUILT_FROM="given by CSHQ_BIN"
fi

TMP=$(mktemp -d /tmp/cshq-bench.XXXXXX)
chmod 0755 "$TMP"
CSHQ_PID=
NGINX_PID=
PG_DIR=
cleanup() {
	status=$?
	[ -z "$CSHQ_PID" ] || { kill "$CSHQ_PID" 2>/dev/null || true; wait "$CSHQ_PID" 2>/dev/null || true; }
	[ -z "$NGINX_PID" ] || { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; }
	[ -z "$PG_DIR" ] || sh "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" || true
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

export CSHQ_ADMIN_PASSWORD=bench-admin-password
export CSHQ_DEMO_PASSWORD=bench-demo-password
CSHQ_PORT=$(free_port)
NGINX_PORT=$(free_port)

# start_cshq STORE-ARGS...: starts cshq and waits for its health check.
start_cshq() {
	timeout "$LIFETIME" "$CSHQ_BIN" serve "$@" --listen "127.0.0.1:$CSHQ_PORT" \
		--threads "$SERVER_THREADS" --demo >"$TMP/cshq.log" 2>&1 &
	CSHQ_PID=$!
	python3 - "$CSHQ_PORT" <<'EOF' || { cat "$TMP/cshq.log" >&2; exit 1; }
import http.client, sys, time
deadline = time.time() + 120
while time.time() < deadline:
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
        c.request("GET", "/api/v1/health")
        if c.getresponse().status == 200:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit("run.sh: cshq did not start")
EOF
}

stop_cshq() {
	kill "$CSHQ_PID" 2>/dev/null || true
	wait "$CSHQ_PID" 2>/dev/null || true
	CSHQ_PID=
}

# login: prints a bearer token of LOGIN; fetch PATH FILE: saves an authenticated answer.
login() {
	python3 - "$CSHQ_PORT" "$LOGIN" "$CSHQ_DEMO_PASSWORD" <<'EOF'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
c.request("POST", "/api/v1/session", json.dumps({"login": sys.argv[2], "password": sys.argv[3]}),
          {"Content-Type": "application/json"})
r = c.getresponse()
body = r.read()
if r.status != 200:
    sys.exit(f"run.sh: login failed: {r.status} {body!r}")
print(json.loads(body)["token"])
EOF
}
fetch() { # PORT PATH FILE
	python3 - "$1" "$2" "$3" <<'EOF'
import http.client, os, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=30)
c.request("GET", sys.argv[2], headers={"Authorization": "Bearer " + os.environ["CSHQ_TOKEN"]})
r = c.getresponse()
body = r.read()
if r.status != 200:
    sys.exit(f"run.sh: GET {sys.argv[2]}: {r.status} {body!r}")
open(sys.argv[3], "wb").write(body)
head = sum(len(k) + len(v) + 4 for k, v in r.getheaders())
print(f"{len(body)} bytes of body, {head} bytes of headers", file=sys.stderr)
EOF
}

# cpu_seconds PID...: CPU time (user + system, including reaped children) of these
# processes and all their descendants. Throughput on a shared machine moves with the load of
# others; the server's CPU time per request is much steadier, so both are reported.
cpu_seconds() {
	python3 - "$@" <<'EOF'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
stat = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stat[int(p)] = (int(f[1]), sum(int(x) for x in f[11:15]))
todo, seen = [int(a) for a in sys.argv[1:]], set()
while todo:
    pid = todo.pop()
    if pid in seen or pid not in stat:
        continue
    seen.add(pid)
    todo.extend(c for c, (pp, _) in stat.items() if pp == pid)
print(sum(stat[p][1] for p in seen) / hz)
EOF
}

# measure NAME URL TOKEN PIDS: a 3 s warm-up, then the measured wrk run; TOKEN empty sends
# no Authorization header; PIDS are the server's processes (with their descendants).
measure() {
	echo "run.sh: wrk $1" >&2
	CSHQ_TOKEN=$3 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d3s -s "$HERE/wrk.lua" "$2" >/dev/null
	before=$(cpu_seconds $4)
	CSHQ_TOKEN=$3 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
		-s "$HERE/wrk.lua" "$2" >"$TMP/$1.wrk"
	after=$(cpu_seconds $4)
	sed 's/^/    /' "$TMP/$1.wrk" | grep -v WRK_RESULT >&2
	echo "$1 $(grep '^WRK_RESULT' "$TMP/$1.wrk") cpu_s=$(python3 -c "print($after - $before)")" \
		>>"$TMP/results"
}

URL_PATH=/api/v1/orgs/$ORG
: >"$TMP/results"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- cshq on SQLite: also provides the body nginx will serve -------------------------
start_cshq --db "$TMP/sqlite/cshq.db"
CSHQ_TOKEN=$(login)
export CSHQ_TOKEN
fetch "$CSHQ_PORT" "$URL_PATH" "$TMP/body.json"

# --- nginx serving the same bytes under the same path --------------------------------
mkdir -p "$TMP/www$(dirname "$URL_PATH")" "$TMP/nginx/temp"
cp "$TMP/body.json" "$TMP/www$URL_PATH"
chmod -R a+rX "$TMP/www"
if [ "$(id -u)" -eq 0 ]; then USER_LINE="user root;"; else USER_LINE=""; fi
cat >"$TMP/nginx/nginx.conf" <<EOF
# A plain static file server: the yardstick, not a tuned one.
$USER_LINE
worker_processes $SERVER_THREADS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;            # cshq writes no access log either
    server_tokens off;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/temp/body;
    proxy_temp_path $TMP/nginx/temp/proxy;
    fastcgi_temp_path $TMP/nginx/temp/fastcgi;
    uwsgi_temp_path $TMP/nginx/temp/uwsgi;
    scgi_temp_path $TMP/nginx/temp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
        location / {
            types { }
            default_type application/json;
            # the headers cshq sends, so both answers are about the same size
            add_header X-Content-Type-Options nosniff;
            add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
            add_header X-Frame-Options DENY;
            add_header Referrer-Policy no-referrer;
            add_header Cache-Control no-store;
        }
    }
}
EOF
timeout "$LIFETIME" "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
	-g "daemon off;" &
NGINX_PID=$!
sleep 0.5
fetch "$NGINX_PORT" "$URL_PATH" "$TMP/nginx-body.json"
cmp -s "$TMP/body.json" "$TMP/nginx-body.json" || { echo "run.sh: nginx serves other bytes" >&2; exit 1; }

measure nginx_1 "http://127.0.0.1:$NGINX_PORT$URL_PATH" "$CSHQ_TOKEN" "$NGINX_PID"
for store in $STORES; do
	case $store in
	sqlite)
		measure cshq_sqlite "http://127.0.0.1:$CSHQ_PORT$URL_PATH" "$CSHQ_TOKEN" "$CSHQ_PID"
		if [ "$BREAKDOWN" = 1 ]; then
			measure health_notoken_sqlite "http://127.0.0.1:$CSHQ_PORT/api/v1/health" "" "$CSHQ_PID"
			measure health_token_sqlite "http://127.0.0.1:$CSHQ_PORT/api/v1/health" "$CSHQ_TOKEN" "$CSHQ_PID"
		fi
		stop_cshq
		;;
	pg)
		[ -z "$CSHQ_PID" ] || stop_cshq
		PG_DIR=$TMP/pg
		CONNINFO=$(sh "$ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR" | tail -n 1)
		# the postmaster (its backends are its children) counts as server CPU too
		PG_RUN=$PG_DIR
		[ ! -f "$PG_DIR/rundir" ] || PG_RUN=$(cat "$PG_DIR/rundir")
		PG_PIDS=$(head -n 1 "$PG_RUN/data/postmaster.pid")
		start_cshq --pg "$CONNINFO"
		CSHQ_TOKEN=$(login)
		export CSHQ_TOKEN
		fetch "$CSHQ_PORT" "$URL_PATH" "$TMP/pg-body.json"
		measure cshq_postgresql "http://127.0.0.1:$CSHQ_PORT$URL_PATH" "$CSHQ_TOKEN" "$CSHQ_PID $PG_PIDS"
		if [ "$BREAKDOWN" = 1 ]; then
			measure health_notoken_postgresql "http://127.0.0.1:$CSHQ_PORT/api/v1/health" "" "$CSHQ_PID $PG_PIDS"
			measure health_token_postgresql "http://127.0.0.1:$CSHQ_PORT/api/v1/health" "$CSHQ_TOKEN" "$CSHQ_PID $PG_PIDS"
		fi
		stop_cshq
		sh "$ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR"
		PG_DIR=
		;;
	*) echo "run.sh: unknown store $store" >&2; exit 2 ;;
	esac
done
measure nginx_2 "http://127.0.0.1:$NGINX_PORT$URL_PATH" "$CSHQ_TOKEN" "$NGINX_PID"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------
python3 - "$TMP/results" <<EOF
import sys
rows = {}
for line in open(sys.argv[1]):
    name, _, *kv = line.split()
    rows[name] = {k: float(v) for k, v in (x.split("=") for x in kv)}
def rps(r): return r["requests"] / (r["duration_us"] / 1e6)
def ms(us): return f"{us / 1000:.2f}"
def cpu(r): return r["cpu_s"] * 1e6 / r["requests"]
print()
print("date:     $(date -u '+%Y-%m-%d %H:%M UTC')")
print("machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -sr)")
print("load:     $LOAD_BEFORE before, $LOAD_AFTER after (1/5/15-min load averages; other work on the machine skews both sides)")
print("binary:   $CSHQ_BIN ($BUILT_FROM)")
print("software: $("$NGINX" -v 2>&1 | cut -d' ' -f3), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), cshq $("$CSHQ_BIN" version | cut -d' ' -f2) (Release)")
print("settings: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/server/wrk.lua; "
      "cshq --threads $SERVER_THREADS; nginx worker_processes $SERVER_THREADS; GET $URL_PATH as $LOGIN; "
      "$(wc -c <"$TMP/body.json") bytes of body")
print()
print("| target | req/s | mean ms | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU µs/req |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
labels = {"nginx_1": "nginx, static file (before)", "cshq_sqlite": "cshq, SQLite",
          "cshq_postgresql": "cshq, PostgreSQL", "nginx_2": "nginx, static file (after)"}
for st, name in (("sqlite", "SQLite"), ("postgresql", "PostgreSQL")):
    labels[f"health_notoken_{st}"] = f"(breakdown) cshq, {name}, GET /api/v1/health, no token"
    labels[f"health_token_{st}"] = f"(breakdown) cshq, {name}, GET /api/v1/health, with token"
bad = False
for name, r in rows.items():
    errors = int(r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["status_errors"] + r["timeouts"])
    bad |= errors > 0
    print(f"| {labels.get(name, name)} | {rps(r):,.0f} | {ms(r['lat_mean_us'])} | {ms(r['lat_p50_us'])} | "
          f"{ms(r['lat_p90_us'])} | {ms(r['lat_p99_us'])} | {ms(r['lat_max_us'])} | {errors} | {cpu(r):.0f} |")
ng = [rows[n] for n in ("nginx_1", "nginx_2") if n in rows]
base = sum(rps(r) for r in ng) / len(ng)
base_cpu = sum(cpu(r) for r in ng) / len(ng)
print()
print("server CPU: the process tree of the server (cshq; nginx master and workers; for")
print("PostgreSQL, cshq plus the postmaster and its backends), CPU time over the run / requests.")
print()
for name in ("cshq_sqlite", "cshq_postgresql"):
    if name in rows:
        ratio = rps(rows[name]) / base
        print(f"ratio {labels[name]} / nginx, req/s (nginx: mean of both runs): {ratio:.2f} "
              f"({'meets' if ratio >= 0.5 else 'BELOW'} the target 0.5)")
        print(f"ratio {labels[name]} / nginx, by server CPU per request (nginx / cshq): "
              f"{base_cpu / cpu(rows[name]):.2f}")
if bad:
    print("WARNING: some requests failed (see errors); the figures are not valid", file=sys.stderr)
    sys.exit(1)
EOF
