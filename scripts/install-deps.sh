#!/bin/sh
# install-deps.sh: installs what cshq needs on Debian 12 (as root, or with sudo), only what
# is missing, then the front-end packages from the npm registry (package-lock.json).
set -eu

PACKAGES="
  build-essential cmake pkg-config git ca-certificates
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libcsv-dev
  libpcap-dev libcurl4-openssl-dev libssl-dev libcmocka-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk libxlsxwriter-dev libzip-dev libexpat1-dev
  postgresql postgresql-client nginx openssl wrk tcpdump
  clang libclang-rt-14-dev
  chromium python3 nodejs npm
"

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "install-deps: run as root (or install sudo)" >&2; exit 1; }
	SUDO=sudo
fi

missing=
for p in $PACKAGES; do
	# a package counts as present only when fully installed
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		# nodejs from another origin (e.g. a NodeSource build) also provides npm
		if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
	echo "install-deps: Node.js 20 or later is needed to build the web UI (found: $(node --version 2>/dev/null || echo none))" >&2
	exit 1
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
for dir in "$ROOT/web" "$ROOT/tests/e2e"; do
	if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; }; then
		echo "install-deps: npm ci in ${dir#$ROOT/}"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
	fi
done
