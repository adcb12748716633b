#!/usr/bin/env bash
# Start or stop the throwaway PostgreSQL the tests run against.
#
#   tests/harness/pg_server.sh start DIR   -> writes DIR/env (source it)
#   tests/harness/pg_server.sh stop DIR
#
# The server listens on 127.0.0.1 only, on a free port, with
# pg_stat_statements preloaded.  initdb refuses root, so as root the
# cluster belongs to the 'postgres' user and runs through runuser.
set -euo pipefail

cmd=${1:?usage: pg_server.sh start|stop DIR}
dir=${2:?usage: pg_server.sh start|stop DIR}

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/postgres" ]; then
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/postgres" ]; then
	echo "pg_server.sh: no PostgreSQL server binaries found" >&2
	exit 1
fi

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$dir"
	fi
	# A loopback port nobody answers on (pure bash: no python needed).
	port=
	for _ in $(seq 1 50); do
		candidate=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
			port=$candidate
			break
		fi
	done
	if [ -z "$port" ]; then
		echo "pg_server.sh: no free loopback port" >&2
		exit 1
	fi
	as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
		-E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1
	cat >>"$dir/data/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
shared_preload_libraries = 'pg_stat_statements'
compute_query_id = on
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
deadlock_timeout = '1s'
CONF
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
	"$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
		-c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' \
		-c "CREATE ROLE pgdeck_plain LOGIN" \
		-c "CREATE DATABASE latin ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
	if [ "$(id -u)" = 0 ]; then
		pgctl="runuser -u postgres -- $bindir/pg_ctl"
	else
		pgctl="$bindir/pg_ctl"
	fi
	cat >"$dir/env" <<ENV
export PGDECK_TEST_CONNINFO='host=127.0.0.1 port=$port dbname=postgres user=postgres'
export PGDECK_TEST_PGPORT=$port
export PGDECK_TEST_PGDATA='$dir/data'
export PGDECK_TEST_PGBIN='$bindir'
export PGDECK_TEST_RESTART='$pgctl -D $dir/data -l $dir/server.log -m fast -w -t 60 restart'
export PGDECK_TEST_STOP='$pgctl -D $dir/data -m fast -w -t 60 stop'
export PGDECK_TEST_START='$pgctl -D $dir/data -l $dir/server.log -w -t 60 start'
ENV
	echo "pg_server.sh: PostgreSQL running on 127.0.0.1:$port ($dir)"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: pg_server.sh start|stop DIR" >&2
	exit 2
	;;
esac
