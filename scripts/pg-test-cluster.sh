#!/bin/sh
# pg-test-cluster.sh: a throwaway PostgreSQL cluster for the tests.
#
#   pg-test-cluster.sh start DIR   create and start a cluster in DIR, print its conninfo
#   pg-test-cluster.sh stop DIR    stop it and remove DIR
#
# The cluster listens only on a unix socket (no TCP port to collide with or expose),
# trusts local connections to that socket, and runs with fsync off: it holds test data
# only. A detached watchdog stops it after CSHQ_PG_TEST_MINUTES (default 30) in case
# the caller dies before calling stop. The conninfo is printed on stdout and written to
# DIR/conninfo; everything else goes to stderr.
#
# Works as an ordinary user (the cluster runs as that user) or as root (the cluster runs
# as the postgres account, because the server refuses to run as root). If no server is
# installed and we are root, installs the Debian package.
set -eu

MARKER=.cshq-pg-test
DB=cshq_test
ROLE=cshq_test

die() {
	echo "pg-test-cluster: $*" >&2
	exit 1
}

find_bindir() {
	if [ -n "${CSHQ_PG_BIN:-}" ]; then
		echo "$CSHQ_PG_BIN"
		return
	fi
	# Highest installed major version (Debian puts each under its own directory).
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return
		fi
	done
}

install_server() {
	[ "$(id -u)" -eq 0 ] || die "PostgreSQL server not installed; run: apt-get install -y postgresql"
	echo "pg-test-cluster: installing postgresql" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends postgresql >&2; then
		apt-get update >&2
		apt-get install -y --no-install-recommends postgresql >&2
	fi
}

# Runs a command as the account that owns the cluster.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# The directory holding data and socket: DIR itself, or a private directory under /tmp
# when the cluster owner cannot write DIR (root's build tree under a 0700 home) or when
# DIR is too long for a socket path (sun_path holds 107 bytes, ".s.PGSQL.5432" included).
rundir_of() {
	if [ -f "$1/rundir" ]; then
		cat "$1/rundir"
	else
		echo "$1"
	fi
}

start() {
	dir=$1
	bindir=$(find_bindir)
	if [ -z "$bindir" ]; then
		install_server
		bindir=$(find_bindir)
		[ -n "$bindir" ] || die "initdb not found after installing postgresql"
	fi

	# A cluster left over from an interrupted run would hold the socket.
	if [ -f "$dir/$MARKER" ]; then
		stop "$dir"
	fi
	[ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir exists and is not a test cluster"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	: >"$dir/$MARKER"

	run=$dir
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "no postgres account (is the postgresql package installed?)"
		chown postgres: "$dir"
	fi
	if [ ${#dir} -gt 90 ] || ! as_owner test -w "$dir" -a -x "$dir"; then
		run=$(mktemp -d /tmp/cshq-pg.XXXXXX)
		[ "$(id -u)" -ne 0 ] || chown postgres: "$run"
		: >"$run/$MARKER"
		echo "$run" >"$dir/rundir"
	fi
	chmod 0700 "$run"

	as_owner "$bindir/initdb" -D "$run/data" -U postgres -A trust -E UTF8 --no-locale \
		--no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}
	# Unix socket only; durability is irrelevant for test data, speed is not.
	as_owner sh -c "cat >>'$run/data/postgresql.conf'" <<EOF
listen_addresses = ''
unix_socket_directories = '$run'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 32MB
EOF
	as_owner "$bindir/pg_ctl" -D "$run/data" -l "$run/server.log" -w -t 60 start >&2 || {
		cat "$run/server.log" >&2 || true
		die "server did not start"
	}
	as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$run" -U postgres -d postgres \
		-c "CREATE ROLE $ROLE LOGIN CREATEDB" -c "CREATE DATABASE $DB OWNER $ROLE" >&2 ||
		die "could not create role and database"

	# Detached from our stdout/stderr: a test runner waits for its pipes to close.
	self=$(readlink -f "$0")
	minutes=${CSHQ_PG_TEST_MINUTES:-30}
	setsid sh -c "sleep $((minutes * 60)); exec '$self' stop '$dir'" \
		</dev/null >/dev/null 2>&1 &
	echo $! >"$dir/watchdog.pid"

	conninfo="host=$run dbname=$DB user=$ROLE"
	echo "$conninfo" >"$dir/conninfo"
	echo "$conninfo"
}

stop() {
	dir=$1
	[ -d "$dir" ] || return 0
	[ -f "$dir/$MARKER" ] || die "$dir is not a test cluster (no $MARKER); not touching it"
	run=$(rundir_of "$dir")
	bindir=$(find_bindir)
	if [ -n "$bindir" ] && [ -f "$run/data/postmaster.pid" ]; then
		# Immediate: nothing in a throwaway cluster is worth a clean shutdown.
		as_owner "$bindir/pg_ctl" -D "$run/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	if [ -f "$dir/watchdog.pid" ]; then
		wd=$(cat "$dir/watchdog.pid")
		# The watchdog leads its own process group (setsid); when it is the caller,
		# it is already past its sleep and exits by itself.
		pgid=
		if [ -r "/proc/$wd/stat" ]; then
			read -r _ _ _ _ pgid _ <"/proc/$wd/stat" || true
		fi
		if [ "$wd" != "$$" ] && [ "$pgid" = "$wd" ]; then
			kill -- "-$wd" 2>/dev/null || true
		fi
	fi
	if [ "$run" != "$dir" ] && [ -f "$run/$MARKER" ]; then
		rm -rf "$run"
	fi
	rm -rf "$dir"
}

[ $# -eq 2 ] || die "usage: $0 start|stop DIR"
case $1 in
start) start "$2" ;;
stop) stop "$2" ;;
*) die "usage: $0 start|stop DIR" ;;
esac
