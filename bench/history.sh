#!/usr/bin/env bash
# bench/history.sh - what does a refresh cost at 1,000 sessions and 5,000
# statements, how big does an hour of history get, and how long does a
# replay of that hour take to draw?
#
#   bench/history.sh [size] [replay] [refresh]     (default: all three)
#
# size     bench/histgen.c writes 3,600 synthetic 1 s samples (300
#          sessions, 2,000 statements; the model is in histgen.c and
#          docs/PERFORMANCE.md) with history_put() into a temp file and
#          reports the file size, rows and bytes per table, and the write
#          time per sample.
# replay   `pgdeck replay FILE` on that hour, on a pty (bench/ptyrun.c),
#          timed from fork to the first frame marker (PGDECK_TEST_SYNC=1),
#          5 runs; and history_open_read() + history_load() of the last
#          sample alone (bench/histgen.c load), 5 runs.  If the binary has
#          no working replay, only the second is reported.
# refresh  Starts a throwaway PostgreSQL (max_connections = 1100,
#          pg_stat_statements.max = 10000) on a free 127.0.0.1 port,
#          creates 5,000 distinct statement shapes (bench/stmtload.c),
#          opens 1,000 sessions (bench/sessions.c and bench/stmtload.c:
#          idle, idle in transaction, a lock chain, active, and a few that
#          run 100 random shapes a second), then runs pgdeck's collector
#          in bench/refresh.c (client CPU per refresh, split into collect,
#          history write and a headless draw) and, as a cross-check, the
#          real binary for LIVE_SECONDS on a pty (its whole CPU and RSS).
#
# The programs are compiled into a temp dir against a copy of
# build/test/libpgdeck_engine.a and libpgdeck_ui.a (taken at start, so a
# concurrent rebuild cannot change them mid-run).  Writes
# bench/results/history-DATE.md and prints the same Markdown.  Everything
# it starts is stopped by pid and the temp dir removed on exit, Ctrl-C
# included.
#
# Environment (all optional):
#   PGDECK        pgdeck binary (default build/test/pgdeck)
#   BENCH_LIBDIR  where the two libraries are (default build/test)
#   PGBIN         PostgreSQL bin dir (default: pg_config --bindir, else the
#                 newest /usr/lib/postgresql/*/bin)
#   SAMPLES       samples in the synthetic hour (default 3600)
#   REFRESHES     collector refreshes measured (default 60, the first 12
#                 fill the text cache and are reported apart)
#   INTERVAL      seconds between them (default 0.5)
#   LIVE_SECONDS  run time of the real binary (default 40)
#   BENCH_PERF    if set, run bench/refresh.c under perf record and add
#                 the top of its profile to the report
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGDECK=${PGDECK:-$ROOT/build/test/pgdeck}
LIBDIR=${BENCH_LIBDIR:-$ROOT/build/test}
SAMPLES=${SAMPLES:-3600}
REFRESHES=${REFRESHES:-60}
INTERVAL=${INTERVAL:-0.5}
LIVE_SECONDS=${LIVE_SECONDS:-40}
REPLAY_RUNS=5

SESSIONS=1000           # client sessions, not counting pgdeck's
SHAPES=5000             # distinct statements created
IDLE_TX=100
CHAIN=10
CHURN_CONN=10           # run CHURN_RATE random shapes a second between them
CHURN_RATE=100
ACTIVE=20               # active in pg_sleep()
IDLE=$((SESSIONS - IDLE_TX - CHAIN - CHURN_CONN - ACTIVE))

PARTS=("$@")
((${#PARTS[@]})) || PARTS=(size replay refresh)
want() {
	local p
	for p in "${PARTS[@]}"; do [[ $p == "$1" ]] && return 0; done
	return 1
}
for p in "${PARTS[@]}"; do
	case $p in size | replay | refresh) ;; *)
		echo "usage: bench/history.sh [size] [replay] [refresh]" >&2
		exit 2 ;;
	esac
done

RESULTS_DIR=$ROOT/bench/results
STAMP=$(date +%Y-%m-%d-%H%M%S)
OUT=$RESULTS_DIR/history-$STAMP.md

export LANG=C.UTF-8
unset LC_ALL
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS \
	PGPASSWORD PGSSLMODE PGAPPNAME 2>/dev/null || true

log() { printf '[history] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup --

TMP=""
PG_STARTED=0
declare -A OWNED=()        # pid -> what it is, for every process we started

own() { OWNED[$1]=$2; }

# Stop one of our children by pid: TERM, then KILL after 5 s.
stop_pid() {
	local pid=$1 i
	[[ -n ${OWNED[$pid]:-} ]] || return 0
	if [[ -e /proc/$pid ]]; then
		kill -TERM "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			[[ -e /proc/$pid ]] || break
			# A zombie child of ours: reaped by wait below.
			[[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) == Z ]] && break
			sleep 0.1
		done
		[[ -e /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null || true
	unset "OWNED[$pid]"
}

as_pg() {
	if [[ $EUID -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop_server() {
	if ((PG_STARTED)); then
		as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1
		PG_STARTED=0
	fi
}

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	set +e
	for pid in "${!OWNED[@]}"; do
		stop_pid "$pid"
	done
	stop_server
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------------ build --

[[ -x $PGDECK ]] || die "no pgdeck binary at $PGDECK (build it: cmake --build build/test)"
for lib in libpgdeck_engine.a libpgdeck_ui.a; do
	[[ -f $LIBDIR/$lib ]] || die "no $LIBDIR/$lib"
done
command -v cc >/dev/null || die "cc not found"
mkdir -p "$RESULTS_DIR"

TMP=$(mktemp -d /tmp/pgdeck-histbench.XXXXXX)
chmod 755 "$TMP"
cp "$LIBDIR/libpgdeck_engine.a" "$LIBDIR/libpgdeck_ui.a" "$TMP/"
PGINC=$(pg_config --includedir)
LIBS=$(pkg-config --libs libpq jansson sqlite3 ncursesw)
CFLAGS=(-std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED
	-I"$ROOT/src" -I"$PGINC")
log "compiling the bench programs in $TMP"
# shellcheck disable=SC2086
{
	cc "${CFLAGS[@]}" -o "$TMP/histgen" "$ROOT/bench/histgen.c" \
		"$TMP/libpgdeck_engine.a" $LIBS -lm
	cc "${CFLAGS[@]}" -o "$TMP/refresh" "$ROOT/bench/refresh.c" \
		"$TMP/libpgdeck_ui.a" "$TMP/libpgdeck_engine.a" $LIBS -lm
	cc -std=c11 -O2 -Wall -Wextra -o "$TMP/ptyrun" "$ROOT/bench/ptyrun.c" -lutil
	cc -std=c11 -O2 -Wall -Wextra -I"$PGINC" -o "$TMP/stmtload" \
		"$ROOT/bench/stmtload.c" -lpq
	cc -O2 -Wall -I"$PGINC" -o "$TMP/sessions" "$ROOT/bench/sessions.c" -lpq
}

# kv FILE PREFIX: read "key value..." lines into the associative array
# named PREFIX (value = the rest of the line).
kv() {
	local -n arr=$2
	local k v
	while read -r k v; do
		[[ -n $k ]] && arr[$k]=$v
	done <"$1"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }

REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- src ui 2>/dev/null; then
	REV="$REV + uncommitted changes in src/ or ui/"
fi

REPORT=$TMP/report.md
{
	echo "# pgdeck history and refresh benchmark, $STAMP"
	echo
	echo "pgdeck $("$PGDECK" --version 2>/dev/null | head -1) at $REV; libraries from $LIBDIR"
} >"$REPORT"

# ------------------------------------------------------------ 2: the size --

HOUR=$TMP/hour.db
if want size || want replay; then
	log "writing $SAMPLES synthetic samples to $HOUR"
	"$TMP/histgen" write "$HOUR" "$SAMPLES" >"$TMP/size.out"
	# pgdeck's next start on that file: history_open_write() (on a copy).
	cp "$HOUR" "$TMP/reopen.db"
	"$TMP/histgen" reopen "$TMP/reopen.db" >>"$TMP/size.out"
	rm -f "$TMP"/reopen.db*
	declare -A S=()
	kv "$TMP/size.out" S
	{
		echo
		echo "## History size: $SAMPLES samples, 300 sessions, 2,000 statements"
		echo
		echo "Command: \`bench/history.sh size\` (bench/histgen.c write FILE $SAMPLES)"
		echo
		echo "| file | bytes | MB |"
		echo "|---|---:|---:|"
		echo "| database while open | ${S[size.db_open]} | $(mb "${S[size.db_open]}") |"
		echo "| -wal while open | ${S[size.wal_open]} | $(mb "${S[size.wal_open]}") |"
		echo "| database + -wal while open | $((S[size.db_open] + S[size.wal_open])) | $(mb $((S[size.db_open] + S[size.wal_open]))) |"
		echo "| database after close (WAL checkpointed, removed) | ${S[size.db_closed]} | $(mb "${S[size.db_closed]}") |"
		echo "| per hour, scaled to 3,600 samples (after close) | | $(awk -v b="${S[size.db_closed]}" -v n="$SAMPLES" 'BEGIN { printf "%.1f", b / 1048576 * 3600 / n }') |"
		echo
		echo "| table | rows |"
		echo "|---|---:|"
		for t in sample session stmt text qtext; do
			echo "| $t | ${S[rows.$t]} |"
		done
		echo
		echo "| table or index (dbstat) | MB in pages | MB of payload |"
		echo "|---|---:|---:|"
		grep '^bytes\.' "$TMP/size.out" | while read -r k pg pl; do
			[[ $pg -ge 262144 ]] || continue
			echo "| ${k#bytes.} | $(mb "$pg") | $(mb "$pl") |"
		done
		echo
		echo "| history_put() per sample | ms |"
		echo "|---|---:|"
		echo "| first sample (every row new) | ${S[put.first_ms]} |"
		echo "| mean wall / mean CPU | ${S[put.mean_wall_ms]} / ${S[put.mean_cpu_ms]} |"
		echo "| median wall / median CPU | ${S[put.median_wall_ms]} / ${S[put.median_cpu_ms]} |"
		echo "| p99 wall / max wall | ${S[put.p99_wall_ms]} / ${S[put.max_wall_ms]} |"
		echo "| snapshot_derive_stmts() (for comparison) | ${S[derive.mean_cpu_ms]} |"
		echo
		echo "Peak RSS of the writer: $((S[rss.peak_kb] / 1024)) MB."
		echo "Opening that file again for writing (history_open_write(), what pgdeck's next start does with its cache): ${S[reopen.wall_ms]} ms wall, ${S[reopen.cpu_ms]} ms CPU."
	} >>"$REPORT"
fi

# ----------------------------------------------------------- 3: replay --

if want replay; then
	log "replay: $REPLAY_RUNS runs of pgdeck replay and of history_load"
	REPLAY_OK=0
	if "$PGDECK" --help 2>&1 | grep -q 'replay'; then
		if PTYRUN_DUMP=$TMP/frame.txt "$TMP/ptyrun" first-frame 10 -- \
			"$PGDECK" --no-config replay "$HOUR" >"$TMP/ff.0" 2>&1 &&
			grep -q 'replay at' "$TMP/frame.txt"; then
			REPLAY_OK=1
		else
			log "pgdeck replay did not draw a replay frame: reporting history_load only"
		fi
	fi
	# The same model, two samples: what does not depend on the file's size.
	"$TMP/histgen" write "$TMP/two.db" 2 >/dev/null
	: >"$TMP/ff.all"
	: >"$TMP/ff2.all"
	: >"$TMP/load.all"
	for ((i = 1; i <= REPLAY_RUNS; i++)); do
		if ((REPLAY_OK)); then
			"$TMP/ptyrun" first-frame 10 -- "$PGDECK" --no-config replay "$HOUR" |
				awk '/^first_frame_ms/ { print $2 }' >>"$TMP/ff.all"
			"$TMP/ptyrun" first-frame 10 -- "$PGDECK" --no-config replay "$TMP/two.db" |
				awk '/^first_frame_ms/ { print $2 }' >>"$TMP/ff2.all"
		fi
		"$TMP/histgen" load "$HOUR" >"$TMP/load.$i"
		awk '/^total.wall_ms/ { print $2 }' "$TMP/load.$i" >>"$TMP/load.all"
	done
	declare -A L=()
	kv "$TMP/load.$REPLAY_RUNS" L
	{
		echo
		echo "## Replay of that file: time to first frame"
		echo
		if ((REPLAY_OK)); then
			echo "Command: \`bench/history.sh replay\` (bench/ptyrun.c first-frame 10 -- $PGDECK --no-config replay FILE; 50x200, TERM=xterm, PGDECK_TEST_SYNC=1)"
			echo
			echo "| measure | median ms | range ms ($REPLAY_RUNS runs) |"
			echo "|---|---:|---:|"
			echo "| \`pgdeck replay\`: fork to first frame marker | $(median <"$TMP/ff.all") | $(minmax <"$TMP/ff.all") |"
			echo "| the same on a 2-sample file of the same model (the part that does not grow with the file) | $(median <"$TMP/ff2.all") | $(minmax <"$TMP/ff2.all") |"
		else
			echo "\`pgdeck replay\` was not usable in this binary: only the load is measured."
			echo
			echo "| measure | median ms | range ms ($REPLAY_RUNS runs) |"
			echo "|---|---:|---:|"
		fi
		echo "| history_open_read() + history_load(last sample) alone | $(median <"$TMP/load.all") | $(minmax <"$TMP/load.all") |"
		echo
		echo "Breakdown of the last of those loads (bench/histgen.c load):"
		echo
		echo "| step | wall ms | CPU ms |"
		echo "|---|---:|---:|"
		echo "| history_open_read() (open, schema check, sample list) | ${L[open.wall_ms]} | ${L[open.cpu_ms]} |"
		echo "| \`PRAGMA quick_check(1)\` alone, on its own connection (history_open_*() run it on an existing file) | ${L[quick_check_ms]} | |"
		echo "| history_load() of the last sample (${L[last.sessions]} sessions, ${L[last.stmts]} statements, and the sample before it for deltas) | ${L[last.wall_ms]} | ${L[last.cpu_ms]} |"
		echo "| history_load() of the middle sample | ${L[middle.wall_ms]} | ${L[middle.cpu_ms]} |"
		echo "| history_load() of the first sample | ${L[first.wall_ms]} | |"
		echo
		echo "What the panes ask of the same file at the end of the hour (bench/histgen.c load, one run):"
		echo
		echo "| call | when | wall ms |"
		echo "|---|---|---:|"
		for m in 1 5 15; do
			echo "| history_load(stmts only) of the sample $m min back | every refresh while Top queries shows rates over the last $m min | ${L[window${m}m.wall_ms]} |"
		done
		echo "| history_series(), the whole hour in 200 buckets | History pane drawn after a new sample | ${L[series.wall_ms]} |"
		echo "| history_ash(ASH_WAITS), the whole hour | History pane drawn after a new sample | ${L[ash.wall_ms]} |"
		echo
		echo "SQLite's plans for the span lookups, and the same lookups (count and sum of one column, last sample) with the index on \`first\` disabled:"
		echo
		echo '```'
		grep '^plan\.' "$TMP/load.$REPLAY_RUNS" | sed 's/^plan\.//'
		echo '```'
		echo
		echo "| lookup, last sample | as pgdeck runs it, ms | with +first (index on until), ms |"
		echo "|---|---:|---:|"
		for t in stmt session; do
			echo "| $t | ${L[probe.$t.as_is_ms]} | ${L[probe.$t.until_ms]} |"
		done
	} >>"$REPORT"
fi

# --------------------------------------------------------- 1: refresh --

sql() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At -h "$TMP/sock" -p "$PORT" \
		-U postgres -d postgres -c "$1"
}

free_port() {
	local p tries
	for ((tries = 0; tries < 200; tries++)); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

if want refresh; then
	PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || true)}
	[[ -x ${PGBIN:-}/postgres ]] ||
		PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[[ -x $PGBIN/postgres ]] || die "no PostgreSQL server binaries (set PGBIN)"
	(($(ulimit -n) > SESSIONS + 100)) || ulimit -n $((SESSIONS + 200)) ||
		die "need more than $((SESSIONS + 100)) open files"
	PORT=$(free_port) || die "no free port"
	mkdir -p "$TMP/sock"
	[[ $EUID -eq 0 ]] && chown -R postgres: "$TMP/sock" && chown postgres: "$TMP"
	log "initdb in $TMP/data, port $PORT"
	as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 \
		--locale=C --no-sync --no-instructions >"$TMP/initdb.log" 2>&1 ||
		{ cat "$TMP/initdb.log" >&2; die "initdb failed"; }
	# The harness (tests/harness/pg_server.sh) fixes max_connections at
	# 100, so this cluster is started the same way with its own settings.
	cat >>"$TMP/data/postgresql.conf" <<EOF

# bench/history.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$TMP/sock'
max_connections = 1100
shared_preload_libraries = 'pg_stat_statements'
compute_query_id = on
pg_stat_statements.max = 10000
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 120 start \
		>/dev/null || { cat "$TMP/server.log" >&2; die "server did not start"; }
	PG_STARTED=1
	CONN="host=127.0.0.1 port=$PORT user=postgres dbname=postgres"
	sql "CREATE EXTENSION pg_stat_statements;
	     CREATE TABLE bench_lock (id int PRIMARY KEY, v int NOT NULL);
	     INSERT INTO bench_lock VALUES (1, 0), (2, 0)" >/dev/null
	log "creating $SHAPES statement shapes"
	"$TMP/stmtload" "$CONN" create "$SHAPES"
	NSTMTS=$(sql "SELECT count(*) FROM pg_stat_statements")
	((NSTMTS >= SHAPES)) || die "only $NSTMTS pg_stat_statements entries"

	HOLD=$((REFRESHES * ${INTERVAL%.*} + LIVE_SECONDS + 300))
	log "opening $SESSIONS sessions ($IDLE idle, $IDLE_TX idle in transaction, $CHAIN in a lock chain, $ACTIVE active, $CHURN_CONN running $CHURN_RATE shapes/s)"
	"$TMP/sessions" "$CONN" "$IDLE" "$IDLE_TX" "$CHAIN" "$HOLD" \
		"$TMP/sessions.ready" >"$TMP/sessions.log" 2>&1 &
	own $! sessions
	SESS_PID=$!
	"$TMP/stmtload" "$CONN" churn "$SHAPES" "$CHURN_CONN" "$ACTIVE" \
		"$CHURN_RATE" "$HOLD" "$TMP/churn.ready" >"$TMP/churn.log" 2>&1 &
	own $! stmtload
	CHURN_PID=$!
	for ((i = 0; i < 1200; i++)); do
		for pid in "$SESS_PID" "$CHURN_PID"; do
			[[ -e /proc/$pid ]] || {
				cat "$TMP/sessions.log" "$TMP/churn.log" >&2
				die "workload process $pid exited early"
			}
		done
		if [[ -e $TMP/sessions.ready && -e $TMP/churn.ready ]]; then
			n=$(sql "SELECT count(*) FROM pg_stat_activity
			         WHERE application_name LIKE 'bench%'")
			((n == SESSIONS)) && break
		fi
		sleep 0.25
	done
	((${n:-0} == SESSIONS)) || die "have ${n:-0} of $SESSIONS sessions"
	sleep 3        # let the churn touch some entries

	log "collector: $REFRESHES refreshes every ${INTERVAL}s"
	PERF=()
	if [[ -n ${BENCH_PERF:-} ]]; then
		command -v perf >/dev/null || die "BENCH_PERF is set but perf is missing"
		PERF=(perf record -q -F 4999 -o "$TMP/refresh.perf")
	fi
	"${PERF[@]}" "$TMP/refresh" "$CONN" "$REFRESHES" "$INTERVAL" \
		"$TMP/refresh.db" >"$TMP/refresh.out"
	declare -A R=()
	kv "$TMP/refresh.out" R
	REFRESH_DB_BYTES=$(stat -c %s "$TMP/refresh.db")
	NSTMTS_END=$(sql "SELECT count(*) FROM pg_stat_statements")

	log "the real binary for ${LIVE_SECONDS}s at -r 1"
	mkdir -p "$TMP/state"
	XDG_STATE_HOME=$TMP/state "$TMP/ptyrun" run "$LIVE_SECONDS" -- \
		"$PGDECK" -r 1 --no-config -h 127.0.0.1 -p "$PORT" -U postgres \
		postgres >"$TMP/live.out"
	declare -A V=()
	kv "$TMP/live.out" V
	LIVE_HIST=$(du -cb "$TMP/state/pgdeck" 2>/dev/null | tail -1 | cut -f1)

	stop_pid "$CHURN_PID"
	stop_pid "$SESS_PID"
	stop_server

	cpu_live=$(awk -v u="${V[run.user_s]}" -v s="${V[run.sys_s]}" 'BEGIN { printf "%.3f", u + s }')
	{
		echo
		echo "## One refresh at $SESSIONS sessions and about $NSTMTS_END statements (real server)"
		echo
		echo "Command: \`bench/history.sh refresh\` (bench/refresh.c CONNINFO $REFRESHES $INTERVAL FILE)"
		echo
		echo "Seen by the collector: ${R[sessions]} rows of pg_stat_activity (the $SESSIONS client sessions and the server's own processes; pgdeck's excluded), ${R[stmts]} statements (${R[stmts_with_text]} with text), ${R[lock_waiters]} sessions waiting on a lock."
		echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{ print $3 }'), loopback TCP."
		echo
		echo "Client CPU per refresh, refreshes $((13))-$REFRESHES (text cache full):"
		echo
		echo "| part | mean ms | median ms | max ms |"
		echo "|---|---:|---:|---:|"
		for k in collect history draw total top; do
			case $k in
			collect) what="collect: libpq, parsers, deltas, loop (pgdeck's collector)" ;;
			history) what="history_put() into a fresh file" ;;
			draw) what="screen: summary, update() of the 3 panes, header, Activity pane draw (200x50 grid, no curses)" ;;
			total) what="**total** (Activity pane in focus)" ;;
			top) what="Top queries pane draw(), had it the focus (not in the total)" ;;
			esac
			echo "| $what | ${R[steady.$k.mean_ms]} | ${R[steady.$k.median_ms]} | ${R[steady.$k.max_ms]} |"
		done
		echo "| collect, refreshes 1-12 (connect, prepare, 500 texts a refresh) | ${R[cold.collect.mean_ms]} | ${R[cold.collect.median_ms]} | ${R[cold.collect.max_ms]} |"
		echo
		echo "Whole run: ${R[run.cpu_s]} s CPU (user ${R[run.user_s]} s, sys ${R[run.sys_s]} s) in ${R[run.wall_s]} s; peak RSS $((R[part1.hwm_kb] / 1024)) MB; the history file reached $(mb "$REFRESH_DB_BYTES") MB after $REFRESHES refreshes."
		echo
		echo "Where \"collect\" goes (the collector's statements run ${R[split.passes]} times on a blocking connection):"
		echo
		echo "| statement | rows | libpq (PQexec) ms | pgdeck parser ms |"
		echo "|---|---:|---:|---:|"
		echo "| sessions | ${R[split.rows_sessions]} | ${R[split.sessions_libpq_ms]} | ${R[split.sessions_parse_ms]} |"
		echo "| lock waits | ${R[split.rows_locks]} | ${R[split.locks_libpq_ms]} | ${R[split.locks_parse_ms]} |"
		echo "| vitals | 1 | ${R[split.vitals_libpq_ms]} | ${R[split.vitals_parse_ms]} |"
		echo "| statements ($(mb "${R[split.stmts_value_bytes]}") MB of values) | ${R[split.rows_stmts]} | ${R[split.stmts_libpq_ms]} | ${R[split.stmts_parse_ms]} |"
		echo "| snapshot_derive_stmts() | | | ${R[split.stmts_derive_ms]} |"
		echo "| PQclear() + snapshot_unref() | | | ${R[split.free_ms]} |"
		echo
		echo "The real binary (\`$PGDECK -r 1 --no-config -h 127.0.0.1 -p PORT -U postgres postgres\` on a 50x200 pty, history cache in a temp \$XDG_STATE_HOME), ${V[run.wall_s]} s including start-up and its first refreshes:"
		echo
		echo "| CPU s (user + sys) | CPU ms per second (≈ per refresh) | frames | peak RSS MB | history cache MB |"
		echo "|---:|---:|---:|---:|---:|"
		echo "| $cpu_live (${V[run.user_s]} + ${V[run.sys_s]}) | $(awk -v c="$cpu_live" -v w="${V[run.wall_s]}" 'BEGIN { printf "%.1f", c / w * 1000 }') | ${V[run.frames]} | $((V[run.maxrss_kb] / 1024)) | $(mb "${LIVE_HIST:-0}") |"
		if [[ -n ${BENCH_PERF:-} ]]; then
			echo
			echo "perf profile of bench/refresh.c (the whole run: $REFRESHES refreshes and the split), by library and symbol, top 25:"
			echo
			echo '```'
			{ perf report -i "$TMP/refresh.perf" --comm refresh --no-children \
				--sort dso,sym --stdio 2>/dev/null || true; } |
				awk '/^ +[0-9]/ && n++ < 25'
			echo '```'
		fi
	} >>"$REPORT"
fi

{
	echo
	echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), SQLite $(sqlite3 --version 2>/dev/null | awk '{ print $1 }')."
} >>"$REPORT"

cp "$REPORT" "$OUT"
cat "$REPORT"
log "wrote $OUT"
