#!/bin/sh
# run_nginx_test.sh: runs the shipped deploy/nginx.conf in front of a real `cshq serve` and
# checks it with test_nginx.py.
#
#   run_nginx_test.sh CSHQ_BINARY REPOSITORY_ROOT
#
#   client --TLS--> nginx 127.0.0.1:H --> recorder.py 127.0.0.1:R --> cshq 127.0.0.1:C
#
# A throwaway self-signed certificate for "localhost", a fixture UI, a fresh SQLite store and
# nginx's pid, logs and temp files all live in one temporary directory. Every process runs
# under `timeout` and is stopped by the trap; everything listens on 127.0.0.1 only.
# Exits 77 (skipped) when nginx or openssl is not installed.
set -eu

BIN=$(readlink -f "$1")
ROOT=$(readlink -f "$2")
HERE=$ROOT/tests/deploy
LIFETIME=${CSHQ_DEPLOY_TEST_SECONDS:-300}

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ] || ! command -v openssl >/dev/null 2>&1; then
	echo "run_nginx_test: nginx or openssl not installed (apt-get install -y nginx openssl); skipped"
	exit 77
fi

TMP=$(mktemp -d /tmp/cshq-deploy-test.XXXXXX)
PIDS=
cleanup() {
	status=$?
	for pid in $PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $PIDS; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "$status" -ne 0 ]; then
		for f in cshq.log recorder.log nginx/logs/error.log nginx/logs/access.log; do
			[ -f "$TMP/$f" ] && { echo "--- $f"; tail -n 40 "$TMP/$f"; }
		done
	fi
	rm -rf "$TMP"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
CSHQ_PORT=$(free_port)
REC_PORT=$(free_port)
HTTP_PORT=$(free_port)
HTTPS_PORT=$(free_port)

# Certificate for localhost (SAN), valid one day.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>"$TMP/openssl.log"

# A fixture UI shaped like web/dist (independent of whether the UI has been built).
mkdir -p "$TMP/web/assets"
printf '<!doctype html><title>cshq deploy test %s</title><div id="app"></div>\n' "$$" >"$TMP/web/index.html"
printf 'console.log("asset");\n' >"$TMP/web/assets/index-0123abcd.js"
printf 'SECRET=1\n' >"$TMP/web/.env"
chmod -R a+rX "$TMP/web"

# The shipped config, rendered for this prefix and these ports.
mkdir -p "$TMP/nginx"
python3 "$HERE/render_nginx_conf.py" "$ROOT/deploy/nginx.conf" "$TMP/nginx/nginx.conf" \
	--prefix "$TMP/nginx" --cert "$TMP/cert.pem" --key "$TMP/key.pem" --web-root "$TMP/web" \
	--upstream "127.0.0.1:$REC_PORT" --http-port "$HTTP_PORT" --https-port "$HTTPS_PORT"
echo "run_nginx_test: nginx -t"
"$NGINX" -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log"

export CSHQ_ADMIN_PASSWORD=deploy-test-admin-password
export CSHQ_DEMO_PASSWORD=deploy-test-demo-password
timeout "$LIFETIME" "$BIN" serve --db "$TMP/cshq.db" --listen "127.0.0.1:$CSHQ_PORT" \
	--web "$TMP/web" --threads 2 --demo >"$TMP/cshq.log" 2>&1 &
PIDS="$PIDS $!"
timeout "$LIFETIME" python3 "$HERE/recorder.py" "127.0.0.1:$REC_PORT" "127.0.0.1:$CSHQ_PORT" \
	"$TMP/record" >"$TMP/recorder.log" 2>&1 &
PIDS="$PIDS $!"
timeout "$LIFETIME" "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" \
	-e "$TMP/nginx/logs/error.log" -g "daemon off;" &
PIDS="$PIDS $!"

# Ready when a health check answers directly and through nginx (which proves the relay).
python3 - "$CSHQ_PORT" "$HTTPS_PORT" "$TMP/cert.pem" <<'EOF'
import http.client, socket, ssl, sys, time
cport, hport, cert = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def direct():
    c = http.client.HTTPConnection("127.0.0.1", cport, timeout=5)
    c.request("GET", "/api/v1/health")
    return c.getresponse().status
def via_nginx():
    ctx = ssl.create_default_context(cafile=cert)
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", hport), timeout=5), server_hostname="localhost")
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    return int(s.recv(100).split()[1])
deadline = time.time() + 90
for probe in (direct, via_nginx):
    while True:
        try:
            if probe() == 200:
                break
        except (OSError, ValueError, IndexError):
            pass
        if time.time() > deadline:
            sys.exit(f"run_nginx_test: {probe.__name__} not ready")
        time.sleep(0.1)
EOF
echo "run_nginx_test: cshq :$CSHQ_PORT <- recorder :$REC_PORT <- nginx :$HTTPS_PORT (TLS), :$HTTP_PORT"

NGINX_HTTPS_PORT=$HTTPS_PORT NGINX_HTTP_PORT=$HTTP_PORT TLS_CERT=$TMP/cert.pem \
	RECORD_DIR=$TMP/record RECORDER_PORT=$REC_PORT WEB_ROOT=$TMP/web \
	timeout "$LIFETIME" python3 "$HERE/test_nginx.py"
