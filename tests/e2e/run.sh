#!/usr/bin/env bash
# End-to-end browser test of the registry UI: starts `cshq serve` on a free port with a fresh
# database and the built web UI, waits for /api/v1/health, runs the test file given as the first
# argument (default registry.test.mjs) in headless
# Debian Chromium (playwright-core), and always stops the server.
#
# env: CSHQ_BIN (default <repo>/build/cshq), E2E_OUT_DIR (screenshots and server log,
#      default <repo>/build/e2e), E2E_TIMEOUT (seconds for the whole run, default 600),
#      E2E_MOCK=1 (develop against tests/e2e/mock-server.mjs instead of the real server).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

# Global timeout: re-run this script under timeout(1) so it always ends by itself.
if [ -z "${E2E_UNDER_TIMEOUT:-}" ]; then
	export E2E_UNDER_TIMEOUT=1
	exec timeout --kill-after=15 "${E2E_TIMEOUT:-600}" "$0" "$@"
fi

CSHQ_BIN=${CSHQ_BIN:-$REPO/build/cshq}
OUT=${E2E_OUT_DIR:-$REPO/build/e2e}
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cshq-e2e.XXXXXX")
SERVER_PID=

cleanup() {
	local rc=$?
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	if [ "$rc" -ne 0 ] && [ -f "$OUT/server.log" ]; then
		echo "--- server log (last 40 lines) ---" >&2
		tail -n 40 "$OUT/server.log" >&2 || true
	fi
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

need_build() {
	[ ! -f "$REPO/web/dist/index.html" ] && return 0
	[ -n "$(find "$REPO/web/src" "$REPO/web/index.html" "$REPO/web/package.json" -newer "$REPO/web/dist/index.html" -print -quit)" ]
}

# 1. the web UI
if need_build; then
	echo "building web/dist"
	(cd "$REPO/web" && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build)
fi

# 2. the test's own dependencies (playwright-core only; the browser is Debian's chromium)
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
	(cd "$HERE" && npm ci --no-audit --no-fund)
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "chromium not found at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)" >&2
	exit 1
fi

# 3. the server, on a free port, with a fresh database
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"
export CSHQ_ADMIN_PASSWORD=${CSHQ_ADMIN_PASSWORD:-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
if [ "${E2E_MOCK:-}" = 1 ]; then
	echo "using the mock server"
	node "$HERE/mock-server.mjs" --listen "127.0.0.1:$PORT" --web "$REPO/web/dist" >"$OUT/server.log" 2>&1 &
else
	if [ ! -x "$CSHQ_BIN" ]; then
		echo "cshq binary not found at $CSHQ_BIN (build it, or set CSHQ_BIN)" >&2
		exit 1
	fi
	"$CSHQ_BIN" serve --db "$TMP/e2e.db" --listen "127.0.0.1:$PORT" --web "$REPO/web/dist" >"$OUT/server.log" 2>&1 &
fi
SERVER_PID=$!

for i in $(seq 1 100); do
	if curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1; then
		break
	fi
	if ! kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "server exited before it was ready" >&2
		exit 1
	fi
	if [ "$i" = 100 ]; then
		echo "server not healthy after 20 s" >&2
		exit 1
	fi
	sleep 0.2
done
echo "server ready at $BASE"

# 4. the browser test
cd "$HERE"
E2E_TMPDIR="$TMP" E2E_BASE_URL="$BASE" E2E_LOGIN=admin E2E_PASSWORD="$CSHQ_ADMIN_PASSWORD" E2E_OUT_DIR="$OUT" \
	node --test --test-reporter=spec --test-timeout=240000 "${1:-registry.test.mjs}"
