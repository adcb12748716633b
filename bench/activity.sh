#!/usr/bin/env bash
# bench/activity.sh - what does watching a busy server cost?
#
# Starts a throwaway PostgreSQL 15 on a free 127.0.0.1 port, puts a fixed
# 300-session workload on it and runs pgdeck, pg_activity and pg_top one
# after the other, each for the same time at a 1 s refresh, in its own
# tmux session of a fixed size, connected over TCP as its own superuser role.
# For each tool it measures:
#
#   client CPU    utime+stime (and reaped children) of the tool's process
#                 tree, from /proc/PID/stat
#   peak RSS      VmHWM from /proc/PID/status just before the tool is stopped
#   server SQL    sum(total_exec_time + total_plan_time) in pg_stat_statements
#                 for the tool's role, per second of the tool's run
#   connections   "connection authorized: user=ROLE" lines in the server log
#
# and, as a cross-check on the server side (pg_stat_statements leaves out
# parse and rewrite, and connection start-up), log_statement_stats is on for
# the three roles: the report also gives the CPU and wall time of the tools'
# statements and the CPU of their backends, from getrusage().
#
# The session mix is held by bench/sessions.c (compiled into the temp dir):
# idle, idle in transaction and a blocking chain on table bench_lock; pgbench
# adds 20 clients at a fixed rate.  Every workload process ends by itself.
#
# The workload is restarted from scratch for each tool (same sessions, same
# pgbench rate, same warm-up), so every tool sees the same steady state.
#
# Writes bench/results/activity-DATE.md (plus, per tool, a capture of its
# screen and its pg_stat_statements entries) and prints the same Markdown on stdout.  Removes everything it started on
# exit, including on Ctrl-C.
#
# Environment (all optional):
#   PGDECK          pgdeck binary (default: build/pgdeck, built if missing)
#   PGDECK_REV      what to call that binary in the report (default: the
#                   checkout's commit, noting uncommitted changes)
#   PGBIN           PostgreSQL 15 bin dir (default /usr/lib/postgresql/15/bin)
#   BENCH_SECONDS   run time per tool (default 30)
#   BENCH_RATE      pgbench -R transactions per second (default 100)
#   BENCH_TOOLS     tools to run, space separated (default
#                   "pgdeck pg_activity pg_top")
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDECK=${PGDECK:-$ROOT/build/pgdeck}
SECONDS_PER_TOOL=${BENCH_SECONDS:-30}
PGBENCH_RATE=${BENCH_RATE:-100}
read -r -a TOOLS <<<"${BENCH_TOOLS:-pgdeck pg_activity pg_top}"

REFRESH=1
COLS=200
ROWS=50
SCALE=5
SESSIONS=300            # client sessions, not counting the monitoring tools
IDLE_TX=40
PGBENCH_CLIENTS=20
CHAIN=10                # root + middle + 8 waiters, two levels deep
IDLE=$((SESSIONS - IDLE_TX - PGBENCH_CLIENTS - CHAIN))
WARMUP=5                # seconds of steady workload before a tool starts
STEADY_FROM=5           # "steady" CPU is measured from this second of a run
# Every workload process ends by itself after this many seconds.
WORKLOAD_SECONDS=$((WARMUP + SECONDS_PER_TOOL + 90))

RESULTS_DIR=$ROOT/bench/results
STAMP=$(date +%Y-%m-%d-%H%M%S)
OUT=$RESULTS_DIR/activity-$STAMP.md

# The same UTF-8 locale for every tool.
export LANG=C.UTF-8
unset LC_ALL
# Connections must come only from the options we pass.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS \
	PGPASSWORD PGSSLMODE PGAPPNAME 2>/dev/null || true

log() { printf '[activity] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup --

TMP=""
PORT=""
TMUX_SOCK="pgdeck-bench-$$"
TMUX_STARTED=0
PG_STARTED=0
declare -A OWNED=()        # pid -> command name of every process we started

# own PID NAME: remember a process we started, to stop it later.
own() { OWNED[$1]=$2; }

# Stop one process we started.  A child of this shell cannot have been
# replaced (its pid stays reserved until we wait for it); any other process
# (the tools run under tmux) must still carry the name we saw.
stop_pid() {
	local pid=$1 sig=${2:-TERM} i ppid comm
	[[ -n ${OWNED[$pid]:-} ]] || return 0
	ppid=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') || ppid=""
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || comm=""
	if [[ -e /proc/$pid && ($ppid == "$$" || $comm == "${OWNED[$pid]}") ]]; then
		kill "-$sig" "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			[[ -e /proc/$pid ]] || break
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

tmx() { tmux -L "$TMUX_SOCK" "$@"; }

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	set +e
	for pid in "${!OWNED[@]}"; do
		stop_pid "$pid"
	done
	if ((TMUX_STARTED)); then
		tmx kill-server 2>/dev/null
	fi
	if ((PG_STARTED)); then
		as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m fast -w -t 20 stop >/dev/null 2>&1 ||
			as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -m immediate -w stop >/dev/null 2>&1
	fi
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------------ setup --

for cmd in tmux pg_activity pg_top cc "$PGBIN/initdb" "$PGBIN/pg_ctl" \
	"$PGBIN/psql" "$PGBIN/pgbench"; do
	command -v "$cmd" >/dev/null || die "$cmd not found"
done
if [[ ! -x $PGDECK ]]; then
	log "building pgdeck"
	cmake -S "$ROOT" -B "$ROOT/build" >/dev/null
	cmake --build "$ROOT/build" -j"$(nproc)" >/dev/null
	PGDECK=$ROOT/build/pgdeck
fi
[[ -x $PGDECK ]] || die "no pgdeck binary at $PGDECK"
mkdir -p "$RESULTS_DIR"

TMP=$(mktemp -d /tmp/pgdeck-bench.XXXXXX)
chmod 755 "$TMP"
mkdir -p "$TMP/sock"
CLK_TCK=$(getconf CLK_TCK)

log "compiling the session holder"
cc -O2 -Wall -o "$TMP/sessions" "$ROOT/bench/sessions.c" \
	-I"$(pg_config --includedir)" -L"$(pg_config --libdir)" -lpq

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
PORT=$(free_port) || die "no free port"

log "initdb in $TMP/data, port $PORT"
[[ $EUID -eq 0 ]] && chown -R postgres: "$TMP"
as_pg "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust -E UTF8 \
	--locale=C --no-sync --no-instructions >"$TMP/initdb.log" 2>&1 ||
	{ cat "$TMP/initdb.log" >&2; die "initdb failed"; }
cat >>"$TMP/data/postgresql.conf" <<EOF

# bench/activity.sh
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$TMP/sock'
max_connections = 400
shared_preload_libraries = 'pg_stat_statements'
compute_query_id = on
track_io_timing = on
pg_stat_statements.track_planning = on
pg_stat_statements.max = 10000
log_connections = on
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = '2GB'
EOF
as_pg "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/server.log" -w -t 60 start \
	>/dev/null || { cat "$TMP/server.log" >&2; die "server did not start"; }
PG_STARTED=1
SERVER_LOG=$TMP/server.log

# Administrative statements go over the Unix socket as postgres, so they are
# never counted against a tool's role.
sql() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -At -h "$TMP/sock" -p "$PORT" \
		-U postgres -d postgres -c "$1"
}

sql "CREATE EXTENSION pg_stat_statements" >/dev/null
sql "CREATE ROLE bench_pgdeck LOGIN SUPERUSER;
     CREATE ROLE bench_pgactivity LOGIN SUPERUSER;
     CREATE ROLE bench_pgtop LOGIN SUPERUSER;
     ALTER ROLE bench_pgdeck SET log_statement_stats = on;
     ALTER ROLE bench_pgactivity SET log_statement_stats = on;
     ALTER ROLE bench_pgtop SET log_statement_stats = on;
     CREATE TABLE bench_lock (id int PRIMARY KEY, v int NOT NULL);
     INSERT INTO bench_lock VALUES (1, 0), (2, 0)" >/dev/null
log "loading pgbench -s $SCALE"
"$PGBIN/pgbench" -h "$TMP/sock" -p "$PORT" -U postgres -i -q -s "$SCALE" \
	postgres >"$TMP/pgbench-init.log" 2>&1 ||
	{ cat "$TMP/pgbench-init.log" >&2; die "pgbench -i failed"; }
sql "CHECKPOINT" >/dev/null

# --------------------------------------------------------------- workload --

WORKLOAD_PIDS=()

start_workload() {
	local ready=$TMP/sessions.ready i n waiting pid
	rm -f "$ready"
	"$TMP/sessions" "host=127.0.0.1 port=$PORT user=postgres dbname=postgres" \
		"$IDLE" "$IDLE_TX" "$CHAIN" "$WORKLOAD_SECONDS" "$ready" \
		>>"$TMP/sessions.log" 2>&1 &
	pid=$!
	own "$pid" sessions
	WORKLOAD_PIDS=("$pid")
	"$PGBIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -c "$PGBENCH_CLIENTS" \
		-j 2 -R "$PGBENCH_RATE" -T "$WORKLOAD_SECONDS" postgres \
		>>"$TMP/pgbench.log" 2>&1 &
	pid=$!
	own "$pid" pgbench
	WORKLOAD_PIDS+=("$pid")

	for ((i = 0; i < 600; i++)); do
		for pid in "${WORKLOAD_PIDS[@]}"; do
			[[ -e /proc/$pid ]] || {
				cat "$TMP/sessions.log" "$TMP/pgbench.log" >&2
				die "workload process $pid exited early"
			}
		done
		if [[ -e $ready ]]; then
			IFS='|' read -r n waiting < <(sql "
				SELECT count(*) FILTER (WHERE backend_type = 'client backend'
				                          AND usename = 'postgres'
				                          AND application_name <> 'psql'),
				       count(*) FILTER (WHERE application_name LIKE 'bench_chain%'
				                          AND wait_event_type = 'Lock')
				FROM pg_stat_activity")
			if ((n == SESSIONS && waiting == CHAIN - 1)); then
				return 0
			fi
		fi
		sleep 0.1
	done
	die "workload did not reach $SESSIONS sessions (have ${n:-?}, ${waiting:-?} waiting)"
}

stop_workload() {
	local pid i
	for pid in "${WORKLOAD_PIDS[@]}"; do
		stop_pid "$pid"
	done
	WORKLOAD_PIDS=()
	# Wait for the server to see every workload session gone.
	for ((i = 0; i < 100; i++)); do
		[[ $(sql "SELECT count(*) FROM pg_stat_activity
		          WHERE backend_type = 'client backend'
		            AND pid <> pg_backend_pid()") == 0 ]] && return 0
		sleep 0.1
	done
	log "warning: workload sessions still present after stop"
}

# ---------------------------------------------------------------- probing --

now() { echo "$EPOCHREALTIME"; }

# Process tree rooted at $1 (the root first).
tree_pids() {
	local pid child
	echo "$1"
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		tree_pids "$child"
	done
}

# utime+stime+cutime+cstime of a process tree, in clock ticks.
cpu_ticks() {
	local total=0 pid stat rest
	local -a f
	for pid in $(tree_pids "$1"); do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		rest=${stat##*) }
		read -r -a f <<<"$rest"
		total=$((total + f[11] + f[12] + f[13] + f[14]))
	done
	echo "$total"
}

# Sum of VmHWM over a process tree, in kB.
hwm_kb() {
	local total=0 pid v
	for pid in $(tree_pids "$1"); do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

# The tool's own process: tmux runs the argument vector directly, but follow
# any wrapper down to the process named $2.
find_tool_pid() {
	local root=$1 want=$2 pid
	for pid in $(tree_pids "$root"); do
		if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$want" ]]; then
			echo "$pid"
			return 0
		fi
	done
	echo "$root"
}

tool_role() {
	case $1 in
	pgdeck) echo bench_pgdeck ;;
	pg_activity) echo bench_pgactivity ;;
	pg_top) echo bench_pgtop ;;
	*) die "unknown tool $1" ;;
	esac
}

tool_cmd() {
	local role
	role=$(tool_role "$1")
	case $1 in
	pgdeck)
		TOOL_ARGV=("$PGDECK" -r "$REFRESH" --no-config -h 127.0.0.1 -p "$PORT"
			-U "$role" postgres) ;;
	pg_activity)
		TOOL_ARGV=("$(command -v pg_activity)" --refresh "$REFRESH" -h 127.0.0.1
			-p "$PORT" -U "$role" -d postgres) ;;
	pg_top)
		TOOL_ARGV=("$(command -v pg_top)" -s "$REFRESH" -h 127.0.0.1 -p "$PORT"
			-U "$role" -d postgres) ;;
	esac
}

wait_until() {
	local t=$1 d
	while :; do
		d=$(awk -v t="$t" -v n="$EPOCHREALTIME" 'BEGIN { print (t > n) ? t - n : 0 }')
		[[ $d == 0 ]] && return 0
		sleep "$(awk -v d="$d" 'BEGIN { print (d > 0.5) ? 0.5 : d }')"
	done
}

# log_stats ROLE OFFSET: read the server log from byte OFFSET and print
#   connections statement_cpu_s statement_wall_s backend_cpu_s
# for ROLE.  log_statement_stats is on for the tools' roles, so every
# statement they run is followed by a getrusage() report: its own CPU and
# wall time (parse, plan and execute; pg_stat_statements counts only plan and
# execute) and the backend's CPU since fork, so the last report of each
# backend also covers connection start-up.
log_stats() {
	tail -c +"$(($2 + 1))" "$SERVER_LOG" | awk -v role="$1" '
		function pidof(line) {
			match(line, /\[[0-9]+\]/)
			return substr(line, RSTART + 1, RLENGTH - 2)
		}
		/LOG:  connection authorized: user=/ {
			p = pidof($0)
			if (p in last) { banked += last[p]; delete last[p] }
			if (index($0, "user=" role " ")) { ours[p] = 1; conns++ }
			else delete ours[p]
			next
		}
		/DETAIL:  ! system usage stats:/ { cur = pidof($0); want = (cur in ours); n = 0; next }
		want && /^\t!/ {
			s = $0; gsub(/[\t!,\[\]]/, " ", s); split(s, f, " "); n++
			if (n == 1) { cpu += f[1] + f[4]; wall += f[7] }
			else if (n == 2) { last[cur] = f[1] + f[4]; want = 0 }
			next
		}
		{ want = 0 }
		END {
			for (p in last) banked += last[p]
			printf "%d %.6f %.6f %.6f\n", conns, cpu, wall, banked
		}'
}

# ------------------------------------------------------------------- runs --

declare -A R_SCPU R_STMT R_CPU R_STEADY R_RSS R_SQL R_CALLS R_CONN R_HELD R_ELAPSED R_CMD

cat >"$TMP/tmux.conf" <<'EOF'
set -g status off
set -g remain-on-exit on
set -g history-limit 0
EOF

run_tool() {
	local tool=$1 role pane pid t0 t_steady t_end c0 c_steady c_end \
		rss log0 held sqlms calls elapsed screen conns stmt_cpu stmt_wall backend_cpu
	role=$(tool_role "$tool")
	tool_cmd "$tool"
	R_CMD[$tool]="${TOOL_ARGV[*]}"

	log "$tool: starting workload"
	start_workload
	sleep "$WARMUP"

	sql "SELECT pg_stat_statements_reset()" >/dev/null
	log0=$(stat -c %s "$SERVER_LOG")

	log "$tool: running ${SECONDS_PER_TOOL}s: ${TOOL_ARGV[*]}"
	t0=$(now)
	if ((TMUX_STARTED == 0)); then
		tmx -f "$TMP/tmux.conf" new-session -d -s "$tool" -x "$COLS" -y "$ROWS" \
			"${TOOL_ARGV[@]}"
		TMUX_STARTED=1
	else
		tmx new-session -d -s "$tool" -x "$COLS" -y "$ROWS" "${TOOL_ARGV[@]}"
	fi
	pane=$(tmx display-message -p -t "$tool" '#{pane_pid}')
	sleep 0.5
	pid=$(find_tool_pid "$pane" "$(basename "${TOOL_ARGV[0]}")")
	own "$pid" "$(cat "/proc/$pid/comm" 2>/dev/null || echo '?')"
	c0=0

	t_steady=$(awk -v a="$t0" -v b="$STEADY_FROM" 'BEGIN { printf "%.6f", a + b }')
	wait_until "$t_steady"
	[[ -e /proc/$pid && $(tmx display-message -p -t "$tool" '#{pane_dead}') == 0 ]] ||
		{ tmx capture-pane -p -t "$tool" >&2; die "$tool exited early"; }
	c_steady=$(cpu_ticks "$pid")
	t_steady=$(now)

	wait_until "$(awk -v a="$t0" -v b="$((SECONDS_PER_TOOL / 2))" 'BEGIN { printf "%.6f", a + b }')"
	held=$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = '$role'")

	wait_until "$(awk -v a="$t0" -v b="$SECONDS_PER_TOOL" 'BEGIN { printf "%.6f", a + b }')"
	[[ -e /proc/$pid ]] || die "$tool exited before the end of its run"
	c_end=$(cpu_ticks "$pid")
	rss=$(hwm_kb "$pid")
	t_end=$(now)
	screen=$RESULTS_DIR/activity-$STAMP-$tool.txt
	tmx capture-pane -p -t "$tool" >"$screen"
	if (($(grep -c '[^[:space:]]' "$screen") < ROWS / 2)); then
		log "warning: $tool drew only $(grep -c '[^[:space:]]' "$screen") non-blank lines; see $screen"
	fi

	# Quit the way a user would, then make sure it is gone.
	tmx send-keys -t "$tool" q
	for ((i = 0; i < 30; i++)); do
		[[ -e /proc/$pid ]] || break
		sleep 0.1
	done
	stop_pid "$pid"
	tmx kill-session -t "$tool" 2>/dev/null || true
	sleep 1     # let the server finish the tool's last statements and log lines

	IFS='|' read -r sqlms calls < <(sql "
		SELECT coalesce(sum(total_exec_time + total_plan_time), 0),
		       coalesce(sum(calls), 0)
		FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
		WHERE r.rolname = '$role'")
	read -r conns stmt_cpu stmt_wall backend_cpu < <(log_stats "$role" "$log0")
	"$PGBIN/psql" -X -q -h "$TMP/sock" -p "$PORT" -U postgres -d postgres -P pager=off -c "
		SELECT round((total_exec_time + total_plan_time)::numeric, 1) AS total_ms,
		       round(total_plan_time::numeric, 1) AS plan_ms, calls,
		       round(((total_exec_time + total_plan_time) / calls)::numeric, 3) AS ms_per_call,
		       left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS query
		FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
		WHERE r.rolname = '$role'
		ORDER BY 1 DESC LIMIT 15" >"$RESULTS_DIR/activity-$STAMP-$tool-sql.txt"
	stop_workload

	elapsed=$(awk -v a="$t0" -v b="$t_end" 'BEGIN { printf "%.3f", b - a }')
	R_ELAPSED[$tool]=$elapsed
	R_CPU[$tool]=$(awk -v c="$((c_end - c0))" -v h="$CLK_TCK" 'BEGIN { printf "%.2f", c / h }')
	R_STEADY[$tool]=$(awk -v c="$((c_end - c_steady))" -v h="$CLK_TCK" \
		-v a="$t_steady" -v b="$t_end" 'BEGIN { printf "%.2f", 100 * c / h / (b - a) }')
	R_RSS[$tool]=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
	R_SQL[$tool]=$(awk -v m="$sqlms" -v e="$elapsed" 'BEGIN { printf "%.2f", m / e }')
	R_CALLS[$tool]=$(awk -v n="$calls" -v e="$elapsed" 'BEGIN { printf "%.1f", n / e }')
	R_CONN[$tool]=$conns
	R_SCPU[$tool]=$(awk -v c="$backend_cpu" -v e="$elapsed" 'BEGIN { printf "%.2f", 1000 * c / e }')
	R_STMT[$tool]=$(awk -v c="$stmt_cpu" -v w="$stmt_wall" -v e="$elapsed" \
		'BEGIN { printf "%.2f / %.2f", 1000 * c / e, 1000 * w / e }')
	R_HELD[$tool]=$held
	log "$tool: cpu ${R_CPU[$tool]}s, rss ${R_RSS[$tool]} MB, sql ${R_SQL[$tool]} ms/s, conns ${R_CONN[$tool]}"
}

for tool in "${TOOLS[@]}"; do
	run_tool "$tool"
done

# ---------------------------------------------------------------- report --

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }'; }
pct() { awk -v c="$1" -v e="$2" 'BEGIN { printf "%.2f", 100 * c / e }'; }

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
pg_version=$(sql "SELECT version()")
if [[ -n ${PGDECK_REV:-} ]]; then
	pgdeck_rev=$PGDECK_REV
else
	pgdeck_rev="tree at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no -- src ui CMakeLists.txt 2>/dev/null) ]]; then
		pgdeck_rev="$pgdeck_rev with uncommitted changes"
	fi
fi
pgdeck_built=$(date -u -r "$PGDECK" '+%Y-%m-%d %H:%M UTC')

{
	echo "# Activity benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
	echo
	echo "Command: \`bench/activity.sh\`.  Each tool ran for ${SECONDS_PER_TOOL} s at a"
	echo "${REFRESH} s refresh in a ${COLS}x${ROWS} tmux pane, over TCP to 127.0.0.1, against"
	echo "$SESSIONS client sessions: $IDLE idle, $IDLE_TX idle in transaction, pgbench"
	echo "-c $PGBENCH_CLIENTS -R $PGBENCH_RATE (scale $SCALE) and a two-level blocking chain of $CHAIN"
	echo "sessions ($((CHAIN - 1)) waiting on a row lock).  The workload was restarted for each"
	echo "tool and given ${WARMUP} s to settle before the tool started."
	echo
	echo "| tool | client CPU s per ${SECONDS_PER_TOOL} s | CPU % | peak RSS MB | server SQL ms/s | connections |"
	echo "|---|---:|---:|---:|---:|---:|"
	for tool in "${TOOLS[@]}"; do
		echo "| $tool | ${R_CPU[$tool]} | $(pct "${R_CPU[$tool]}" "${R_ELAPSED[$tool]}") | ${R_RSS[$tool]} | ${R_SQL[$tool]} | ${R_CONN[$tool]} |"
	done
	if [[ -n ${R_CPU[pgdeck]:-} ]]; then
		echo
		echo "Relative to pgdeck (other tool ÷ pgdeck):"
		echo
		echo "| tool | client CPU | peak RSS | server SQL | connections |"
		echo "|---|---:|---:|---:|---:|"
		for tool in "${TOOLS[@]}"; do
			[[ $tool == pgdeck ]] && continue
			echo "| $tool | $(ratio "${R_CPU[$tool]}" "${R_CPU[pgdeck]}") | $(ratio "${R_RSS[$tool]}" "${R_RSS[pgdeck]}") | $(ratio "${R_SQL[$tool]}" "${R_SQL[pgdeck]}") | $(ratio "${R_CONN[$tool]}" "${R_CONN[pgdeck]}") |"
		done
	fi
	echo
	echo "Details:"
	echo
	echo "Each tool's screen at the end of its run and its statements from"
	echo "pg_stat_statements are in activity-$STAMP-TOOL.txt and activity-$STAMP-TOOL-sql.txt."
	echo
	echo "| tool | run s | client CPU % after first ${STEADY_FROM} s | SQL calls/s | statement CPU / wall ms/s | backend CPU ms/s | sessions held at mid-run |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for tool in "${TOOLS[@]}"; do
		echo "| $tool | ${R_ELAPSED[$tool]} | ${R_STEADY[$tool]} | ${R_CALLS[$tool]} | ${R_STMT[$tool]} | ${R_SCPU[$tool]} | ${R_HELD[$tool]} |"
	done
	echo
	echo "Statement CPU / wall: sum of the log_statement_stats reports for the"
	echo "tool's statements (parse, rewrite, plan and execute), per second of run."
	echo "Backend CPU: CPU used by the tool's server backends from fork to their"
	echo "last statement, including connection start-up, per second of run."
	if [[ -n ${R_CPU[pgdeck]:-} && -n ${R_CPU[pg_activity]:-} && -n ${R_CPU[pg_top]:-} ]]; then
		yn() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
		echo
		echo "Targets:"
		echo
		echo "- client CPU under a tenth of pg_activity's: $(yn "${R_CPU[pgdeck]} < ${R_CPU[pg_activity]} / 10")"
		echo "- client CPU no more than pg_top's: $(yn "${R_CPU[pgdeck]} <= ${R_CPU[pg_top]}")"
		echo "- server SQL time under a third of pg_activity's: $(yn "${R_SQL[pgdeck]} < ${R_SQL[pg_activity]} / 3")"
		echo "- one connection: $(yn "${R_CONN[pgdeck]} == 1")"
	fi
	echo
	echo "Commands:"
	echo
	for tool in "${TOOLS[@]}"; do
		echo "- \`${R_CMD[$tool]}\`"
	done
	echo
	echo "Machine:"
	echo
	echo "- CPU: $(nproc) × $cpu_model"
	echo "- memory: $mem_gib GiB"
	echo "- kernel: $(uname -sr)"
	echo "- server: $pg_version"
	echo "- pgdeck: $("$PGDECK" --version | head -1), $PGDECK built $pgdeck_built from $pgdeck_rev"
	echo "- $(pg_activity --version 2>&1 | head -1), $("$(head -1 "$(command -v pg_activity)" | sed 's/^#! *//; s/ .*//')" --version 2>&1)"
	echo "- $(pg_top --version 2>&1 | head -1)"
	echo "- $("$PGBIN/pgbench" --version), $(tmux -V)"
} | tee "$OUT"

log "wrote $OUT"
