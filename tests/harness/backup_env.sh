#!/usr/bin/env bash
# A real backup environment for the Backups pane's tests: a dedicated
# PostgreSQL that archives through pgBackRest into a local repository,
# with two backups in it, and recipes that break archiving, stream WAL to
# a standby-like client and abandon a replication slot.
#
#   tests/harness/backup_env.sh start DIR          -> writes DIR/env
#   tests/harness/backup_env.sh switch DIR [N]     write, switch WAL N times
#   tests/harness/backup_env.sh break DIR [N]      archive_command fails, N .ready
#   tests/harness/backup_env.sh repair DIR         ... and works again
#   tests/harness/backup_env.sh receivewal DIR     pg_receivewal in background
#   tests/harness/backup_env.sh stop-receivewal DIR
#   tests/harness/backup_env.sh standby DIR        a streaming standby
#   tests/harness/backup_env.sh stop-standby DIR
#   tests/harness/backup_env.sh abandon-slot DIR [reserved|extended|lost]
#   tests/harness/backup_env.sh stop DIR           stops all, removes DIR
#
# The cluster is not the shared test server: archive_mode needs a restart.
# It is started by pg_server.sh in DIR/pg (loopback only, free port) and
# restarted with the settings below.  DIR/env exports only PGDECK_BK_*
# names, so it can be sourced next to the shared server's env.  Progress
# goes to stderr; 'switch' and 'abandon-slot' print their result (a WAL
# file name, a wal_status) on stdout.  See tests/harness/README.md.
set -euo pipefail

usage() {
	echo "usage: backup_env.sh start|switch|break|repair|receivewal|stop-receivewal|standby|stop-standby|abandon-slot|stop DIR [ARG]" >&2
	exit 2
}

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
	usage
fi

if [ -d "$dir" ]; then
	dir=$(cd "$dir" && pwd)
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stanza=pgdeck
rw_slot=pgdeck_receivewal
ab_slot=abandoned

say() { echo "backup_env.sh: $*" >&2; }
die() {
	echo "backup_env.sh: $*" >&2
	exit 1
}

# DIR goes unquoted into archive_command and pgbackrest.conf.
case "$dir" in
*[!A-Za-z0-9._/+-]*)
	die "DIR '$dir' may hold only letters, digits and . _ / + -"
	;;
esac

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pgbackrest=$(command -v pgbackrest || true)
[ -n "$pgbackrest" ] || die "pgbackrest is not installed"

# Seconds since the epoch with microseconds, and a difference of two.
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

load_env() {
	[ -f "$dir/env" ] || die "$dir/env: no backup environment here (run start)"
	# shellcheck disable=SC1091
	. "$dir/env"
}

q() {
	"$PGDECK_BK_PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 \
		-d "$PGDECK_BK_CONNINFO" "$@"
}

pgbr() {
	as_pg "$pgbackrest" --config="$dir/pgbackrest.conf" --stanza="$stanza" "$@"
}

# pgBackRest's newest archived WAL file for the stanza ('' if none).
archive_max() {
	pgbr info --output=json |
		grep -o '"max":"[0-9A-F]*"' | tail -n 1 | cut -d'"' -f4
}

info_status() {
	pgbr info --output=json |
		grep -o '"status":{"code":[0-9]*,"message":"[^"]*"' | head -n 1 |
		sed 's/.*"message":"//; s/"$//'
}

ready_count() {
	q -c "SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'"
}

# Write a row, then switch to a new WAL file.  Prints the file completed.
switch_once() {
	q -c "INSERT INTO pgdeck_bk_churn DEFAULT VALUES" \
		-c "SELECT pg_walfile_name(pg_switch_wal())"
}

# Stop the pg_receivewal we started (its pid file), if it still runs.
# Only that pid is signalled, and only while it is a pg_receivewal.
stop_receivewal() {
	local pidfile=$dir/receivewal.pid pid i
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if [ -r "/proc/$pid/cmdline" ] &&
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "pg_receivewal.*$dir/receivewal"; then
		kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 100); do
			# Gone, or a zombie nobody reaps (a container's pid 1).
			if [ ! -r "/proc/$pid/stat" ] ||
				[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then
				break
			fi
			if [ "$i" = 100 ]; then
				kill -KILL "$pid" 2>/dev/null || true
			fi
			sleep 0.05
		done
	fi
	rm -f "$pidfile"
}

# Stop the standby we started (DIR/standby), if any.
stop_standby() {
	[ -d "$dir/standby" ] || return 0
	as_pg "$PGDECK_BK_PGBIN/pg_ctl" -D "$dir/standby" -m immediate -w \
		stop >/dev/null 2>&1 || true
	rm -rf "$dir/standby"
}

do_stop() {
	stop_receivewal
	if [ -f "$dir/env" ]; then
		# shellcheck disable=SC1091
		. "$dir/env"
		stop_standby
	fi
	"$here/pg_server.sh" stop "$dir/pg" >/dev/null 2>&1 || true
	rm -rf "$dir"
}

# On a failed start: show the logs, then leave nothing behind.
start_failed() {
	local f
	say "start failed; logs follow"
	for f in "$dir/pg/server.log" "$dir"/log/*.log; do
		[ -f "$f" ] || continue
		echo "--- $f" >&2
		tail -n 20 "$f" >&2
	done
	do_stop
}

cmd_start() {
	local t0 port archive_command runas
	t0=$(now)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ -e "$dir/pg" ] || [ -e "$dir/env" ]; then
		say "$dir holds an old environment: stopping it first"
		do_stop
		mkdir -p "$dir"
	fi
	trap start_failed EXIT
	mkdir -p "$dir/repo" "$dir/log" "$dir/lock" "$dir/spool"
	if [ "$(id -u)" = 0 ]; then
		chown -R postgres:postgres "$dir"
	fi
	as_pg test -x "$dir" ||
		die "$dir: the postgres user cannot reach it (a parent directory is private)"

	"$here/pg_server.sh" start "$dir/pg" >&2
	# shellcheck disable=SC1091
	. "$dir/pg/env"
	port=$PGDECK_TEST_PGPORT

	cat >"$dir/pgbackrest.conf" <<CONF
[global]
repo1-type=posix
repo1-path=$dir/repo
repo1-retention-full=2
log-path=$dir/log
lock-path=$dir/lock
spool-path=$dir/spool
log-level-console=warn
log-level-file=info
start-fast=y
archive-timeout=10
compress-type=none

[$stanza]
pg1-path=$PGDECK_TEST_PGDATA
pg1-port=$port
pg1-socket-path=$dir/pg
pg1-user=postgres
CONF
	chmod 644 "$dir/pgbackrest.conf"

	runas=
	if [ "$(id -u)" = 0 ]; then
		runas='runuser -u postgres -- '
	fi
	archive_command="$pgbackrest --config=$dir/pgbackrest.conf --stanza=$stanza archive-push %p"
	cat >"$dir/env" <<ENV
export PGDECK_BK_DIR='$dir'
export PGDECK_BK_CONNINFO='host=127.0.0.1 port=$port dbname=postgres user=postgres'
export PGDECK_BK_PGPORT=$port
export PGDECK_BK_PGDATA='$PGDECK_TEST_PGDATA'
export PGDECK_BK_PGBIN='$PGDECK_TEST_PGBIN'
export PGDECK_BK_STANZA=$stanza
export PGDECK_BK_CONFIG='$dir/pgbackrest.conf'
export PGDECK_BK_REPO='$dir/repo'
export PGDECK_BK_ARCHIVE_COMMAND='$archive_command'
export PGDECK_BK_PGBACKREST='$runas$pgbackrest --config=$dir/pgbackrest.conf --stanza=$stanza info --output=json'
export PGDECK_BK_SCRIPT='$here/backup_env.sh'
ENV
	load_env

	# archive_timeout: long on purpose.  Every WAL switch in the tests
	# is one they ask for, so a count of .ready files or pgBackRest's
	# archive max never moves between a test's look and its assertion.
	# max_wal_size 32MB keeps 3 files; max_slot_wal_keep_size 80MB
	# keeps 5 for a slot, so a slot 4-5 files behind is 'extended' and
	# one 6 behind is 'unreserved' until a checkpoint makes it 'lost'.
	q -c "ALTER SYSTEM SET wal_level = 'replica'" \
		-c "ALTER SYSTEM SET archive_mode = 'on'" \
		-c "ALTER SYSTEM SET archive_command = '$archive_command'" \
		-c "ALTER SYSTEM SET archive_timeout = '60s'" \
		-c "ALTER SYSTEM SET max_wal_senders = 4" \
		-c "ALTER SYSTEM SET max_replication_slots = 4" \
		-c "ALTER SYSTEM SET wal_keep_size = 0" \
		-c "ALTER SYSTEM SET min_wal_size = '32MB'" \
		-c "ALTER SYSTEM SET max_wal_size = '32MB'" \
		-c "ALTER SYSTEM SET max_slot_wal_keep_size = '80MB'" \
		-c "ALTER SYSTEM SET wal_sender_timeout = '10s'"
	eval "$PGDECK_TEST_RESTART" >/dev/null
	# pg_server.sh's second database is 300 more files to back up.
	q -c "DROP DATABASE latin" \
		-c "CREATE TABLE pgdeck_bk_churn (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())"

	pgbr stanza-create
	pgbr --type=full backup
	q -c "INSERT INTO pgdeck_bk_churn DEFAULT VALUES"
	pgbr --type=incr backup
	trap - EXIT
	say "ready in $(since "$t0") s: port $port, stanza $stanza, 1 full + 1 incr backup, archive max $(archive_max) ($dir/env)"
}

cmd_switch() {
	local n=${1:-1} i last=
	load_env
	for i in $(seq 1 "$n"); do
		last=$(switch_once)
	done
	echo "$last"
}

cmd_break() {
	local n=${1:-3} t0 failed0 failed i max status ready
	load_env
	t0=$(now)
	failed0=$(q -c "SELECT failed_count FROM pg_stat_archiver")
	q -c "ALTER SYSTEM SET archive_command = '$pgbackrest --config=$dir/missing.conf --stanza=$stanza archive-push %p'" \
		-c "SELECT pg_reload_conf()" >/dev/null
	# The archiver takes the new command when it has seen the reload:
	# a file switched before that is still archived.  So switch until
	# an attempt fails.
	failed=$failed0
	for i in $(seq 1 10); do
		switch_once >/dev/null
		for _ in $(seq 1 40); do
			failed=$(q -c "SELECT failed_count FROM pg_stat_archiver")
			[ "$failed" -gt "$failed0" ] && break 2
			sleep 0.05
		done
	done
	[ "$failed" -gt "$failed0" ] || die "break: archive_command still succeeds after 10 switches"
	ready=$(ready_count)
	while [ "$ready" -lt "$n" ]; do
		switch_once >/dev/null
		ready=$(ready_count)
	done
	max=$(archive_max)
	status=$(info_status)
	[ "$status" = ok ] || die "break: pgbackrest info says '$status', not ok"
	say "archiving broken in $(since "$t0") s: failed_count $failed0 -> $failed, $ready .ready files, pgbackrest status $status, archive max $max"
}

cmd_repair() {
	local t0 ready last i
	load_env
	t0=$(now)
	q -c "ALTER SYSTEM SET archive_command = '$PGDECK_BK_ARCHIVE_COMMAND'" \
		-c "SELECT pg_reload_conf()" >/dev/null
	# The reload's signal wakes the archiver from its back-off sleep.
	for i in $(seq 1 600); do
		ready=$(ready_count)
		[ "$ready" = 0 ] && break
		[ "$i" = 600 ] && die "repair: still $ready .ready files after 30 s"
		sleep 0.05
	done
	last=$(q -c "SELECT last_archived_wal FROM pg_stat_archiver")
	say "archiving repaired in $(since "$t0") s: backlog archived, last_archived_wal $last, archive max $(archive_max)"
}

cmd_receivewal() {
	local pid i state lag
	load_env
	if [ -f "$dir/receivewal.pid" ]; then
		die "receivewal: already running (pid $(cat "$dir/receivewal.pid"))"
	fi
	q -c "SELECT pg_create_physical_replication_slot('$rw_slot', true)
	      WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$rw_slot')" >/dev/null
	mkdir -p "$dir/receivewal"
	# Status every second; -n: exit, not retry, when the server goes.
	"$PGDECK_BK_PGBIN/pg_receivewal" -d "$PGDECK_BK_CONNINFO" -s 1 -n \
		--slot="$rw_slot" -D "$dir/receivewal" \
		</dev/null >"$dir/receivewal.log" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/receivewal.pid"
	state=
	for i in $(seq 1 200); do
		state=$(q -c "SELECT state FROM pg_stat_replication WHERE pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$rw_slot')")
		[ "$state" = streaming ] && break
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$dir/receivewal.log" >&2
			rm -f "$dir/receivewal.pid"
			die "receivewal: pg_receivewal exited"
		fi
		sleep 0.05
	done
	[ "$state" = streaming ] || die "receivewal: not streaming after 10 s (state '$state')"
	# Some WAL it receives but does not flush (it flushes at the end of
	# a file), so the standby shows a lag; its times appear with its
	# next status message (every second).
	q -c "INSERT INTO pgdeck_bk_churn SELECT FROM generate_series(1, 1000)"
	lag=
	for i in $(seq 1 200); do
		lag=$(q -c "SELECT flush_lag FROM pg_stat_replication WHERE pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$rw_slot') AND flush_lsn < sent_lsn")
		[ -n "$lag" ] && break
		sleep 0.05
	done
	[ -n "$lag" ] || die "receivewal: no flush lag after 10 s"
	say "pg_receivewal streaming as pid $pid into $dir/receivewal (slot $rw_slot), flush lag $lag"
}

cmd_stop_receivewal() {
	local i
	load_env
	stop_receivewal
	for i in $(seq 1 200); do
		if [ "$(q -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$rw_slot' AND active")" = 0 ]; then
			break
		fi
		sleep 0.05
	done
	q -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$rw_slot'" >/dev/null
	say "pg_receivewal stopped, slot $rw_slot dropped"
}

# A real streaming standby: pg_basebackup -R of the primary, started on
# a free loopback port, replaying.  Prints its port.
cmd_standby() {
	local port candidate i rec
	load_env
	[ -d "$dir/standby" ] && die "standby: already running"
	port=
	for i in $(seq 1 50); do
		candidate=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
			port=$candidate
			break
		fi
	done
	[ -n "$port" ] || die "standby: no free loopback port"
	as_pg "$PGDECK_BK_PGBIN/pg_basebackup" -d "$PGDECK_BK_CONNINFO" \
		-D "$dir/standby" -R -X stream -c fast --no-sync >/dev/null 2>&1 ||
		die "standby: pg_basebackup failed"
	cat >>"$dir/standby/postgresql.auto.conf" <<CONF
port = $port
unix_socket_directories = '$dir'
archive_mode = off
primary_conninfo = 'host=127.0.0.1 port=$PGDECK_BK_PGPORT user=postgres application_name=pgdeck_standby'
CONF
	as_pg "$PGDECK_BK_PGBIN/pg_ctl" -D "$dir/standby" \
		-l "$dir/standby.log" -w -t 60 start >/dev/null ||
		{ tail -n 20 "$dir/standby.log" >&2; die "standby: did not start"; }
	for i in $(seq 1 200); do
		rec=$(q -c "SELECT state FROM pg_stat_replication WHERE application_name = 'pgdeck_standby'")
		[ "$rec" = streaming ] && break
		sleep 0.05
	done
	[ "$rec" = streaming ] || die "standby: not streaming after 10 s"
	# A commit for it to replay, so it has a replay timestamp.
	q -c "INSERT INTO pgdeck_bk_churn DEFAULT VALUES"
	echo "export PGDECK_BK_STANDBY_CONNINFO='host=127.0.0.1 port=$port dbname=postgres user=postgres'" >>"$dir/env"
	say "standby streaming on port $port"
	echo "$port"
}

cmd_stop_standby() {
	load_env
	stop_standby
	say "standby stopped"
}

slot_status() {
	q -c "SELECT coalesce(wal_status, 'null') FROM pg_replication_slots WHERE slot_name = '$ab_slot'"
}

state_rank() {
	case "$1" in
	reserved) echo 0 ;;
	extended) echo 1 ;;
	unreserved) echo 2 ;;
	lost) echo 3 ;;
	*) echo 9 ;;
	esac
}

cmd_abandon_slot() {
	local target=${1:-lost} t0 state prev trail switches=0 i
	case "$target" in
	reserved | extended | lost) ;;
	*) die "abandon-slot: state must be reserved, extended or lost ('unreserved' lasts only until the next checkpoint)" ;;
	esac
	load_env
	t0=$(now)
	state=$(slot_status)
	if [ -n "$state" ] && [ "$(state_rank "$state")" -gt "$(state_rank "$target")" ]; then
		q -c "SELECT pg_drop_replication_slot('$ab_slot')" >/dev/null
		state=
	fi
	if [ -z "$state" ]; then
		# A physical slot reserves from the last checkpoint's redo:
		# checkpoint first, so it starts in the current file.
		q -c "CHECKPOINT" \
			-c "SELECT pg_create_physical_replication_slot('$ab_slot', true)" >/dev/null
		state=$(slot_status)
	fi
	trail="$state"
	prev=$state
	for i in $(seq 1 20); do
		[ "$state" = "$target" ] && break
		if [ "$state" = unreserved ]; then
			q -c "CHECKPOINT"
		else
			switch_once >/dev/null
			switches=$((switches + 1))
		fi
		state=$(slot_status)
		if [ "$state" != "$prev" ]; then
			trail="$trail -> $state ($switches switches, $(since "$t0") s)"
			prev=$state
		fi
		[ "$(state_rank "$state")" -gt "$(state_rank "$target")" ] &&
			die "abandon-slot: went past $target: $trail"
	done
	[ "$state" = "$target" ] || die "abandon-slot: no $target after 20 steps: $trail"
	say "slot $ab_slot: $trail"
	echo "$state"
}

case "$cmd" in
start) cmd_start ;;
switch) cmd_switch "${3:-}" ;;
break) cmd_break "${3:-}" ;;
repair) cmd_repair ;;
receivewal) cmd_receivewal ;;
standby) cmd_standby ;;
stop-standby) cmd_stop_standby ;;
stop-receivewal) cmd_stop_receivewal ;;
abandon-slot) cmd_abandon_slot "${3:-}" ;;
stop) do_stop ;;
*) usage ;;
esac
