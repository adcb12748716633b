#!/usr/bin/env bash
# bench/migrate.sh - how long does the Migrations planner take on a
# 5,000-statement file, and how close are its duration estimates to what
# the statements really take on a server?
#
#   bench/migrate.sh [analyze] [live]        (default: both)
#
# analyze  bench/migest.c gen writes a 5,000-statement plain migration
#          (CREATE TABLE, ALTER TABLE of many kinds, CREATE [UNIQUE]
#          INDEX [CONCURRENTLY], UPDATE backfills in transactions, DO
#          blocks with nested dollar quotes, COPY ... FROM stdin data,
#          comments, psql \set); migest analyze times mig_load(),
#          mig_analyze() and mig_estimate() on it, offline, RUNS times,
#          each in a fresh process (wall, CPU, peak RSS); migest exec
#          times `pgdeck migrate --offline --check FILE` end to end.
# live     On a PostgreSQL server: a table t of ROWS rows (id bigint
#          primary key, a int, b text of 40 characters, c timestamptz,
#          one more index on c; ANALYZEd), an index-less copy t_bare and
#          a parent p for a foreign key.  For each statement below, the
#          engine's estimate (migest estimate: mig_server_catalog(), then
#          mig_analyze() and mig_estimate()) with the default rates and
#          with mig_server_calibrate(), then the statement run for real
#          (migest measure: VACUUM, CHECKPOINT, BEGIN, the statement
#          timed around PQexec(), ROLLBACK), one untimed warm-up run and
#          LIVE_RUNS timed runs, median.  Statements a-c are the issue's;
#          d-j are there to fit each rate on its own and check the model;
#          k-o are only estimated (work the estimator does not see).
#          migest calib times the two
#          samples calibration takes (the sort CPU_BASE_MS is compared
#          with, at the server's work_mem and at 64MB; the TABLESAMPLE
#          read) and a full scan, 7 times each.
#          From the measured times the report derives the rates
#          mig_rates_default() and CPU_BASE_MS should hold for this
#          machine.  As shipped, server.c cannot reach a server (its
#          setup() sends two SETs through PQexecParams()); migest.c's
#          shim works around that, and the report says whether the
#          engine still needs it (MIGEST_NO_SHIM=1).
#
# Builds build/bench (Release, tests off) from the working tree if
# needed, then copies its libpgdeck_engine.a and pgdeck into a temp dir,
# so a rebuild during the run changes nothing.  Writes
# bench/results/migrate-DATE.txt (Markdown) and prints the same.
# Everything it starts is stopped by pid (its own server through
# tests/harness/pg_server.sh) and the temp dir removed on exit, Ctrl-C
# included.
#
# Environment (all optional):
#   BENCH_BUILD     the build dir (default build/bench; configured as
#                   Release if it does not exist; BENCH_NO_BUILD=1 uses it
#                   as is)
#   PGDECK          pgdeck binary (default BENCH_BUILD/pgdeck)
#   RUNS            runs of each analysis measurement (default 5)
#   LIVE_RUNS       timed runs of each statement (default 3)
#   STMTS           statements in the generated file (default 5000)
#   ROWS            rows of t (default 1000000)
#   BENCH_CONNINFO  a server to use instead of starting one; the script
#                   creates the database BENCH_DB there (default
#                   pgdeck_migbench, dropped first if it exists) and drops
#                   it at the end
#   BENCH_RATES     SEQ,WRITE,SORT,DML,FK (bytes/s, bytes/s, rows/s,
#                   rows/s, rows/s): adds the estimates at these rates
#                   (migest estimate -R), e.g. to try new defaults
#   BENCH_PERF      if set, add a perf profile of the analysis
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
RUNS=${RUNS:-5}
LIVE_RUNS=${LIVE_RUNS:-3}
STMTS=${STMTS:-5000}
ROWS=${ROWS:-1000000}
BENCH_DB=${BENCH_DB:-pgdeck_migbench}

PARTS=("$@")
((${#PARTS[@]})) || PARTS=(analyze live)
want() {
	local p
	for p in "${PARTS[@]}"; do [[ $p == "$1" ]] && return 0; done
	return 1
}
for p in "${PARTS[@]}"; do
	case $p in analyze | live) ;; *)
		echo "usage: bench/migrate.sh [analyze] [live]" >&2
		exit 2 ;;
	esac
done

RESULTS_DIR=$ROOT/bench/results
STAMP=$(date +%Y-%m-%d-%H%M%S)
OUT=$RESULTS_DIR/migrate-$STAMP.txt
export LANG=C.UTF-8
unset LC_ALL

log() { printf '[migrate] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup --

TMP=""
PGDIR=""	# our own server, when we started one
DB_MADE=""	# conninfo of the maintenance db, when we created BENCH_DB
declare -A OWNED=()

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	set +e
	for pid in "${!OWNED[@]}"; do
		if [[ -e /proc/$pid ]]; then
			kill -TERM "$pid" 2>/dev/null
			sleep 0.5
			[[ -e /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	done
	if [[ -n $DB_MADE ]]; then
		psql "$DB_MADE" -XqAt -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1
	fi
	if [[ -n $PGDIR ]]; then
		"$ROOT/tests/harness/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1
	fi
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Run a command in the background as ours, wait for it, keep its status.
run() {
	"$@" &
	local pid=$!
	OWNED[$pid]=1
	local rc=0
	wait "$pid" || rc=$?
	unset "OWNED[$pid]"
	return "$rc"
}

# ------------------------------------------------------------------ build --

command -v cc >/dev/null || die "cc not found"
TMP=$(mktemp -d /tmp/pgdeck-migbench.XXXXXX)
chmod 755 "$TMP"
if [[ -z ${BENCH_NO_BUILD:-} ]]; then
	if [[ ! -f $BUILD/CMakeCache.txt ]]; then
		log "configuring $BUILD (Release)"
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
			-DPGDECK_TESTS=OFF >"$TMP/cmake.log" 2>&1 ||
			{ cat "$TMP/cmake.log" >&2; die "cmake failed"; }
	fi
	log "building $BUILD"
	cmake --build "$BUILD" -j "$(nproc)" >"$TMP/build.log" 2>&1 ||
		{ tail -n 30 "$TMP/build.log" >&2; die "the build failed (cmake --build $BUILD)"; }
fi
PGDECK=${PGDECK:-$BUILD/pgdeck}
[[ -f $BUILD/libpgdeck_engine.a ]] || die "no $BUILD/libpgdeck_engine.a"
[[ -x $PGDECK ]] || die "no pgdeck binary at $PGDECK"
mkdir -p "$RESULTS_DIR"
cp "$BUILD/libpgdeck_engine.a" "$TMP/"
cp "$PGDECK" "$TMP/pgdeck"
PGINC=$(pg_config --includedir)
LIBS=$(pkg-config --libs libpq jansson sqlite3)
log "compiling bench/migest.c in $TMP"
# shellcheck disable=SC2086
cc -std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -I"$ROOT/src" -I"$PGINC" \
	-o "$TMP/migest" "$ROOT/bench/migest.c" "$TMP/libpgdeck_engine.a" \
	$LIBS -lpg_query -lm -ldl

# shellcheck disable=SC2034	# arr and the arrays it fills are namerefs
kv() {
	local -n arr=$2
	local k v
	while read -r k v; do
		[[ -n $k ]] && arr[$k]=$v
	done <"$1"
}
kbmb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
# status RESULT LIMIT: met or missed
status() { awk -v r="$1" -v l="$2" 'BEGIN { print (r + 0 < l + 0) ? "**met**" : "**missed**" }'; }
# calc EXPR VAR=VALUE...: awk arithmetic
calc() {
	local e=$1
	shift
	local a=() v
	for v in "$@"; do a+=(-v "$v"); done
	awk "${a[@]}" "BEGIN { $e }"
}

REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- src ui 2>/dev/null ||
	[[ -n $(git -C "$ROOT" ls-files --others --exclude-standard -- src ui 2>/dev/null) ]]; then
	REV="$REV + uncommitted changes in src/ or ui/"
fi
BUILD_TYPE=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
REPORT=$TMP/report.md
{
	echo "# Migrations planner benchmark, $STAMP"
	echo
	echo "pgdeck $REV, ${BUILD_TYPE:-?} build ($BUILD; libpgdeck_engine.a of $(date -u -r "$BUILD/libpgdeck_engine.a" '+%Y-%m-%d %H:%M:%S UTC')${BENCH_NO_BUILD:+, not rebuilt: BENCH_NO_BUILD}). Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$REPORT"

# -------------------------------------------------------------- 1: analyze --

if want analyze; then
	log "generating a $STMTS-statement migration"
	run "$TMP/migest" gen -n "$STMTS" "$TMP/migration.sql" >"$TMP/gen.kv"
	declare -A G=() A=() E=()
	kv "$TMP/gen.kv" G
	log "mig_load + mig_analyze + mig_estimate, $RUNS runs"
	run "$TMP/migest" analyze -r "$RUNS" "$TMP/migration.sql" >"$TMP/an.kv"
	kv "$TMP/an.kv" A
	log "pgdeck migrate --offline --check, $RUNS runs"
	run "$TMP/migest" exec -r "$RUNS" -- "$TMP/pgdeck" --no-config migrate \
		--offline --check "$TMP/migration.sql" >"$TMP/exec.kv"
	kv "$TMP/exec.kv" E
	TIMEV=""
	if [[ -x /usr/bin/time ]]; then
		run /usr/bin/time -v "$TMP/pgdeck" --no-config migrate --offline \
			--check "$TMP/migration.sql" >/dev/null 2>"$TMP/time.v" || true
		TIMEV=$(awk -F': ' '/Maximum resident/ { print $2 }' "$TMP/time.v")
	fi
	{
		echo
		echo "## Analysis of a $STMTS-statement file, offline"
		echo
		echo "Command: \`bench/migrate.sh analyze\` (bench/migest.c gen, then migest analyze -r $RUNS FILE: each run in a fresh process; medians)"
		echo
		echo "The file: $(stat -c %s "$TMP/migration.sql") bytes, $(wc -l <"$TMP/migration.sql") lines, ${G[gen.tables]} tables' worth of migration (26 statements each, see bench/migest.c). The engine read ${A[stmts]} statements, ${A[cuts]} cuts (COPY data, \\set), ${A[errors]} errors, ${A[findings]} findings, ${A[windows]} lock windows."
		echo "Classes: none ${A[class.none]}, metadata ${A[class.metadata]}, scan ${A[class.scan]}, fk ${A[class.fk]}, index ${A[class.index]}, rewrite ${A[class.rewrite]}, dml ${A[class.dml]}; ${A[unknown_estimates]} steps with work have no estimate offline (tables the file does not create)."
		echo
		echo "| measure | wall ms (median) | CPU ms | target | status |"
		echo "|---|---:|---:|---:|---|"
		echo "| mig_load() (read, cut, libpg_query, statements) | ${A[load.wall_ms]} | ${A[load.cpu_ms]} | | |"
		echo "| mig_analyze() (lock table, rules) | ${A[analyze.wall_ms]} | ${A[analyze.cpu_ms]} | | |"
		echo "| mig_estimate() | ${A[estimate.wall_ms]} | ${A[estimate.cpu_ms]} | | |"
		echo "| **load + analyze + estimate** (range ${A[total.wall_range]}) | **${A[total.wall_ms]}** | ${A[total.cpu_ms]} | < 1000 | $(status "${A[total.wall_ms]}" 1000) |"
		echo "| \`pgdeck migrate --offline --check FILE\`, fork to exit (range ${E[exec.wall_range]}; exit ${E[exec.exit]}) | ${E[exec.wall_ms]} | ${E[exec.cpu_ms]} | | |"
		echo
		echo "Peak RSS: $(kbmb "${A[peak_rss_kb]}") MB for the analysis process (wait4), $(kbmb "${E[exec.peak_rss_kb]}") MB for \`pgdeck migrate --offline --check\`${TIMEV:+ ($(kbmb "$TIMEV") MB by /usr/bin/time -v)}. mig_set_free(): ${A[free.cpu_ms]} ms."
	} >>"$REPORT"
	if [[ -n ${BENCH_PERF:-} ]]; then
		command -v perf >/dev/null || die "BENCH_PERF is set but perf is missing"
		log "perf on the analysis"
		run perf record -q -F 2999 -o "$TMP/perf.an" "$TMP/migest" \
			analyze -r 1 "$TMP/migration.sql" >/dev/null 2>&1
		{
			echo
			echo "perf profile of migest analyze -r 1 (load, analyze, estimate, free), self time, top 12:"
			echo
			echo '```'
			{ perf report -i "$TMP/perf.an" --no-children \
				--sort dso,sym --stdio 2>/dev/null || true; } |
				awk '/^ +[0-9]/ && n++ < 12'
			echo '```'
		} >>"$REPORT"
	fi
fi

# ----------------------------------------------------------------- 2: live --

if want live; then
	command -v psql >/dev/null || die "psql not found"
	if [[ -n ${BENCH_CONNINFO:-} ]]; then
		ADMIN=$BENCH_CONNINFO
	else
		log "starting a throwaway PostgreSQL (tests/harness/pg_server.sh)"
		PGDIR=$TMP/pg
		"$ROOT/tests/harness/pg_server.sh" start "$PGDIR" >&2
		# shellcheck disable=SC1091
		ADMIN=$(. "$PGDIR/env" && echo "$PGDECK_TEST_CONNINFO")
	fi
	psql "$ADMIN" -XqAt -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $BENCH_DB" \
		-c "CREATE DATABASE $BENCH_DB" >/dev/null
	DB_MADE=$ADMIN
	CONN="$ADMIN dbname=$BENCH_DB"
	log "loading t ($ROWS rows), t_bare and p"
	psql "$CONN" -XqAt -v ON_ERROR_STOP=1 -v rows="$ROWS" >/dev/null <<'SQL'
CREATE TABLE t (id bigint PRIMARY KEY, a int, b text, c timestamptz);
INSERT INTO t SELECT g, (g::bigint * 7919 % 1000003)::int,
	md5(g::text) || lpad(g::text, 8, '0'),
	timestamptz '2024-01-01' + g * interval '1 second'
	FROM generate_series(1, :rows) g;
CREATE INDEX t_c_idx ON t (c);
CREATE TABLE t_bare AS SELECT * FROM t;
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT g FROM generate_series(0, 1000002) g;
VACUUM ANALYZE t;
VACUUM ANALYZE t_bare;
VACUUM ANALYZE p;
CHECKPOINT;
SELECT count(*) FROM t;
SELECT count(*) FROM t_bare;
SELECT count(*) FROM p;
SQL
	declare -A SZ=()
	while IFS='|' read -r n h i r; do
		SZ[$n.heap]=$h
		SZ[$n.idx]=$i
		SZ[$n.rows]=$r
	done < <(psql "$CONN" -XqAt -c "SELECT relname, pg_relation_size(oid), pg_indexes_size(oid), reltuples::bigint FROM pg_class WHERE relname IN ('t', 't_bare', 'p')")
	SERVER=$(psql "$CONN" -XqAt -c "SELECT current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers') || ', maintenance_work_mem ' || current_setting('maintenance_work_mem') || ', max_parallel_maintenance_workers ' || current_setting('max_parallel_maintenance_workers') || ', fsync ' || current_setting('fsync') || ', wal_level ' || current_setting('wal_level') || ', lc_collate ' || current_setting('lc_collate')")

	log "calibration samples, 7 runs each"
	run "$TMP/migest" calib -r 7 "$CONN" t >"$TMP/calib.kv"
	declare -A CB=()
	kv "$TMP/calib.kv" CB

	# Does the engine reach the server as shipped, without the shim?
	MIGEST_NO_SHIM=1 run "$TMP/migest" estimate -c "$CONN" \
		"ALTER TABLE t ALTER COLUMN c SET NOT NULL" >"$TMP/noshim.kv"
	declare -A NS=()
	kv "$TMP/noshim.kv" NS

	# d and j (the UPDATEs) last: each rolled-back run leaves a table's
	# worth of dead rows, which the VACUUM before every run takes away.
	IDS=(a b c e f g h i d j)
	declare -A SQL=(
		[a]="ALTER TABLE t ALTER COLUMN a TYPE bigint"
		[b]="CREATE INDEX ON t (b)"
		[c]="ALTER TABLE t ALTER COLUMN c SET NOT NULL"
		[d]="UPDATE t SET a = a + 1"
		[e]="ALTER TABLE t ADD CONSTRAINT t_a_fk FOREIGN KEY (a) REFERENCES p (id)"
		[f]="ALTER TABLE t_bare ALTER COLUMN a TYPE bigint"
		[g]="CREATE INDEX ON t (id)"
		[h]="CREATE INDEX ON t (c)"
		[i]="CREATE INDEX CONCURRENTLY t_b_cic ON t (b)"
		[j]="UPDATE t_bare SET a = a + 1"
	)
	# Run outside a transaction, and undone by this after each run.
	declare -A UNDO=(
		[i]="DROP INDEX t_b_cic"
	)
	for id in "${IDS[@]}"; do
		log "($id) ${SQL[$id]}: estimates, then 1 + $LIVE_RUNS runs"
		rel=t
		[[ ${SQL[$id]} == *t_bare* ]] && rel=t_bare
		mopt=(-p "VACUUM $rel")
		[[ -n ${UNDO[$id]:-} ]] && mopt+=(-N -u "${UNDO[$id]}")
		run "$TMP/migest" estimate "$CONN" "${SQL[$id]}" >"$TMP/def.$id"
		run "$TMP/migest" estimate -c "$CONN" "${SQL[$id]}" >"$TMP/cal.$id"
		if [[ -n ${BENCH_RATES:-} ]]; then
			run "$TMP/migest" estimate -R "$BENCH_RATES" "$CONN" \
				"${SQL[$id]}" >"$TMP/ovr.$id"
		fi
		run "$TMP/migest" measure -r 1 "${mopt[@]}" "$CONN" "${SQL[$id]}" >"$TMP/warm.$id"
		run "$TMP/migest" measure -r "$LIVE_RUNS" "${mopt[@]}" "$CONN" "${SQL[$id]}" >"$TMP/meas.$id"
	done
	psql "$CONN" -XqAt -c "VACUUM t" >/dev/null

	# Work the estimator does not see: estimates only, with the catalog.
	BIDS=(k l m n o)
	declare -A BSQL=(
		[k]="UPDATE t SET a = 0 WHERE id % 2 = 0"
		[l]="DO \$\$ BEGIN UPDATE t SET a = a + 1; END \$\$"
		[m]="COPY t (id, a, b, c) FROM stdin;"
		[n]="INSERT INTO t_bare SELECT * FROM t"
		[o]="DELETE FROM t WHERE c < '2024-01-02'"
	)
	declare -A BNOTE=(
		[k]="a backfill of half the rows"
		[l]="the same UPDATE as d, in a DO block"
		[m]="COPY of 3 data lines (below the statement)"
		[n]="1,000,000 rows copied"
		[o]="86,399 rows deleted"
	)
	for id in "${BIDS[@]}"; do
		sql=${BSQL[$id]}
		[[ $id == m ]] && sql=$'COPY t (id, a, b, c) FROM stdin;\n2000001\t1\tx\t2024-01-01\n2000002\t2\ty\t2024-01-01\n2000003\t3\tz\t2024-01-01\n\\.\n'
		run "$TMP/migest" estimate "$CONN" "$sql" >"$TMP/blind.$id"
	done

	# est_cell FILE: "est s (lo-hi)"; ratio EST_S MEAS_MS: est / measured
	est_cell() {
		local -A x=()
		kv "$1" x
		if [[ ${x[stmt.1.est]:--1} == -1.000 ]]; then
			echo "? (${x[stmt.1.est_why]:-no estimate})"
		else
			calc 'printf "%.2f (%.2f-%.2f)", e, l, h' e="${x[stmt.1.est]}" \
				l="${x[stmt.1.est_lo]}" h="${x[stmt.1.est_hi]}"
		fi
	}
	ratio() {
		calc 'if (e < 0) print "-"; else { r = e * 1000 / m; printf "%s%.2f×", (r > 3 || r < 1 / 3) ? "**" : "", r; if (r > 3 || r < 1 / 3) printf "**" }' \
			e="$1" m="$2"
	}
	get() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1"; }

	{
		echo
		echo "## Estimated against measured, $ROWS rows"
		echo
		echo "Command: \`bench/migrate.sh live\`. Server: PostgreSQL $SERVER; $([[ -n ${BENCH_CONNINFO:-} ]] && echo "the server in BENCH_CONNINFO" || echo "a throwaway cluster from tests/harness/pg_server.sh"), on this machine, data in shared buffers and the page cache."
		echo
		echo "Tables: t ($ROWS rows; id bigint primary key, a int, b text of 40 characters, c timestamptz, index t_c_idx on c): heap $(calc 'printf "%.1f", b / 1e6' b="${SZ[t.heap]}") MB, indexes $(calc 'printf "%.1f", b / 1e6' b="${SZ[t.idx]}") MB. t_bare (the same rows, no index): $(calc 'printf "%.1f", b / 1e6' b="${SZ[t_bare.heap]}") MB. p (id int primary key, ${SZ[p.rows]} rows): $(calc 'printf "%.1f", b / 1e6' b="${SZ[p.heap]}") MB."
		echo
		if [[ -n ${NS[catalog.error]:-} ]]; then
			echo "**As shipped, the engine cannot read the server:** mig_server_catalog() and mig_server_calibrate() both fail with \`${NS[catalog.error]}\` (server.c setup() sends two SETs through PQexecParams()), so \`pgdeck migrate\` with a connection estimates nothing (\"size unknown\") and keeps the default rates. The figures below are taken with bench/migest.c's shim, which sends that one string through PQexec() instead (MIGEST_NO_SHIM=1 turns it off)."
		else
			echo "The engine reads the server as shipped (no shim needed: catalog and calibration succeed without it)."
		fi
		echo
		echo "Each statement: the estimate with the default rates, then with mig_server_calibrate() (its own sample each time, so its rates vary a little from row to row), then the statement run for real in BEGIN … ROLLBACK after a CHECKPOINT: one warm-up run, then $LIVE_RUNS timed runs, median (range). Bold ratios are outside 3×. Statements a-c are the issue's; d-j fit the other rates and check the model (i: CONCURRENTLY, outside a transaction, the index dropped after each run; j: the UPDATE of d on the table without indexes)."
		echo
		if [[ -n ${BENCH_RATES:-} ]]; then
			echo "| | statement | class | defaults: est s (range) | ratio | calibrated: est s (range) | ratio | BENCH_RATES: est s | ratio | measured ms, median (range) | warm-up ms |"
			echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		else
			echo "| | statement | class | defaults: est s (range) | ratio | calibrated: est s (range) | ratio | measured ms, median (range) | warm-up ms |"
			echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
		fi
		for id in "${IDS[@]}"; do
			m=$(get "$TMP/meas.$id" measure.ms)
			row="| $id | \`${SQL[$id]}\` | $(get "$TMP/def.$id" stmt.1.class) | $(est_cell "$TMP/def.$id") | $(ratio "$(get "$TMP/def.$id" stmt.1.est)" "$m") | $(est_cell "$TMP/cal.$id") | $(ratio "$(get "$TMP/cal.$id" stmt.1.est)" "$m")"
			if [[ -n ${BENCH_RATES:-} ]]; then
				row+=" | $(est_cell "$TMP/ovr.$id") | $(ratio "$(get "$TMP/ovr.$id" stmt.1.est)" "$m")"
			fi
			echo "$row | **$m** ($(get "$TMP/meas.$id" measure.range)) | $(get "$TMP/warm.$id" measure.run.1_ms) |"
		done
		echo
		echo "What the engine says (est_why), and the calibrated rates each time:"
		echo
		echo '```'
		for id in "${IDS[@]}"; do
			echo "$id  $(get "$TMP/def.$id" stmt.1.est_why)  [$(get "$TMP/def.$id" stmt.1.target.1)]"
			echo "   $(get "$TMP/cal.$id" rates.source); calibration took $(get "$TMP/cal.$id" calibrate.wall_ms) ms"
		done
		echo '```'
		echo
		echo "Work the estimator does not see (estimates with the default rates and the server's catalog; not run):"
		echo
		echo "| | statement | what it does | class | estimate | est_why |"
		echo "|---|---|---|---|---:|---|"
		for id in "${BIDS[@]}"; do
			echo "| $id | \`${BSQL[$id]//|/\\|}\` | ${BNOTE[$id]} | $(get "$TMP/blind.$id" stmt.1.class) | $(est_cell "$TMP/blind.$id") | $(get "$TMP/blind.$id" stmt.1.est_why) |"
		done
	} >>"$REPORT"

	# ---- the rates this machine has, from the measured times ----
	ms() { get "$TMP/meas.$1" measure.ms; }
	META=0.005
	HT=${SZ[t.heap]} RT=${SZ[t.rows]} HB=${SZ[t_bare.heap]} HP=${SZ[p.heap]} RP=${SZ[p.rows]}
	SEQ=$(calc 'printf "%.0f", h / (m / 1000 - x)' h="$HT" m="$(ms c)" x=$META)
	WRITE=$(calc 'printf "%.0f", h / (m / 1000 - x)' h="$HB" m="$(ms f)" x=$META)
	sortrate() { calc 'printf "%.0f", r / (m / 1000 - x - h / s)' r="$RT" m="$(ms "$1")" x=$META h="$HT" s="$SEQ"; }
	SORT_B=$(sortrate b) SORT_ID=$(sortrate g) SORT_C=$(sortrate h)
	DML=$(calc 'printf "%.0f", r * 3 / (m / 1000 - x)' r="$RT" m="$(ms d)" x=$META)
	DML_BARE=$(calc 'printf "%.0f", r / (m / 1000 - x)' r="$RT" m="$(ms j)" x=$META)
	FK=$(calc 'printf "%.0f", (rt + rp) / (m / 1000 - x - (ht + hp) / s)' rt="$RT" rp="$RP" \
		m="$(ms e)" x=$META ht="$HT" hp="$HP" s="$SEQ")
	# The rewrite's own index rebuilds are the bigint primary key and c.
	SORT_RW=$(calc 'printf "%.0f", 2 / (1 / a + 1 / b)' a="$SORT_ID" b="$SORT_C")
	# One sort rate for both kinds of work: the one that makes a (the
	# rewrite, with its 2 rebuilds) and b (a text index) err equally.
	SORT=$(calc 'printf "%.0f", sqrt(a * b)' a="$SORT_B" b="$SORT_RW")
	RW_PRED=$(calc 'printf "%.0f", (h / w + 2 * r / s + x) * 1000' h="$HT" w="$WRITE" r="$RT" \
		s="$SORT_RW" x=$META)
	{
		echo
		echo "## The rates of this machine"
		echo
		echo "Each rate from the statement that isolates it, with the estimator's own formula (estimate.c) solved for the rate; meta_s ($META s) taken off."
		echo
		echo "| rate | from | measured here | default now |"
		echo "|---|---|---:|---:|"
		echo "| seq_bytes_s | c: heap of t / SET NOT NULL time | $(calc 'printf "%.0f MB/s", v / 1e6' v="$SEQ") | $(calc 'printf "%.0f MB/s", v / 1e6' v="$(get "$TMP/def.a" rates.seq_bytes_s)") |"
		echo "| write_bytes_s | f: heap of t_bare / its rewrite (no index) | $(calc 'printf "%.1f MB/s", v / 1e6' v="$WRITE") | $(calc 'printf "%.1f MB/s", v / 1e6' v="$(get "$TMP/def.a" rates.write_bytes_s)") |"
		echo "| sort_rows_s, text key | b: rows / (build - heap read) | $(calc 'printf "%.2f M/s", v / 1e6' v="$SORT_B") | $(calc 'printf "%.2f M/s", v / 1e6' v="$(get "$TMP/def.a" rates.sort_rows_s)") |"
		echo "| sort_rows_s, bigint key | g | $(calc 'printf "%.2f M/s", v / 1e6' v="$SORT_ID") | |"
		echo "| sort_rows_s, timestamptz key | h | $(calc 'printf "%.2f M/s", v / 1e6' v="$SORT_C") | |"
		echo "| dml_rows_s | d: rows × (1 + 2 indexes) / UPDATE time | $(calc 'printf "%.0f k/s", v / 1e3' v="$DML") | $(calc 'printf "%.0f k/s", v / 1e3' v="$(get "$TMP/def.a" rates.dml_rows_s)") |"
		echo "| dml_rows_s, no index | j: rows / UPDATE time on t_bare (should match d) | $(calc 'printf "%.0f k/s", v / 1e3' v="$DML_BARE") | |"
		echo "| fk_rows_s | e: (rows of t + rows of p) / (time - both heaps read) | $(calc 'printf "%.2f M/s", v / 1e6' v="$FK") | $(calc 'printf "%.2f M/s", v / 1e6' v="$(get "$TMP/def.a" rates.fk_rows_s)") |"
		echo
		echo "Check out of sample: the rewrite a, predicted from f's write rate and g's and h's sort rates (its two rebuilds), is $RW_PRED ms; measured $(ms a) ms ($(calc 'printf "%.2f×", p / m' p="$RW_PRED" m="$(ms a)"))."
		echo "CREATE INDEX CONCURRENTLY (i), which the estimator counts as two heap reads and two sorts, took $(ms i) ms against $(ms b) ms for the plain build (b): $(calc 'printf "%.2f×", i / b' i="$(ms i)" b="$(ms b)")."
		echo
		echo "Calibration samples here (migest calib, 7 runs, median): the 200,000-row sort takes **${CB[calib.sort_ms]} ms** at the server's work_mem (${CB[calib.sort_range]}; ${CB[calib.sort_method]}) and **${CB[calib.sort_mem_ms]} ms** with work_mem = 64MB (${CB[calib.sort_mem_range]}; ${CB[calib.sort_mem_method]}); CPU_BASE_MS in server.c is $(awk '/^#define CPU_BASE_MS/ { print $3 }' "$ROOT/src/migrate/server.c")); the TABLESAMPLE read of 32 MB of t runs at $(calc 'printf "%.0f MB/s", v / 1e6' v="${CB[calib.sample_bytes_s]}"), a full count(*) of t at $(calc 'printf "%.0f MB/s", v / 1e6' v="${CB[calib.full_count_bytes_s]}"), the SET NOT NULL scan at $(calc 'printf "%.0f MB/s", v / 1e6' v="$SEQ")."
		echo
		echo "Suggested defaults for this machine (one sort rate for index builds and rebuilds: the geometric mean of the text-key rate and the rewrite's rebuild rate, $(calc 'printf "%.2f", v / 1e6' v="$SORT_RW") M/s):"
		echo
		echo '```'
		echo "seq_bytes_s   = $(calc 'printf "%.0fe6", v / 1e6' v="$SEQ")"
		echo "write_bytes_s = $(calc 'printf "%.0fe6", v / 1e6' v="$WRITE")"
		echo "sort_rows_s   = $(calc 'printf "%.2fe6", v / 1e6' v="$SORT")"
		echo "dml_rows_s    = $(calc 'printf "%.0fe3", v / 1e3' v="$DML")"
		echo "fk_rows_s     = $(calc 'printf "%.2fe6", v / 1e6' v="$FK")"
		echo "CPU_BASE_MS   = ${CB[calib.sort_mem_ms]}    (server.c runs the sort with work_mem = 64MB; ${CB[calib.sort_ms]} at the server's work_mem)"
		echo "READ_BASE_BYTES_S = $(calc 'printf "%.0fe6", v / 1e6' v="${CB[calib.sample_bytes_s]}")    (the sampled read; server.c has $(awk '/^#define READ_BASE_BYTES_S/ { print $3 }' "$ROOT/src/migrate/server.c"))"
		echo '```'
		echo
		echo "To try them without editing src/: BENCH_RATES=$SEQ,$WRITE,$SORT,$DML,$FK bench/migrate.sh live"
	} >>"$REPORT"
fi

{
	echo
	echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), libpg_query $(dpkg-query -W -f '${Version}' libpg-query-dev 2>/dev/null || echo '?'), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$REPORT"

cp "$REPORT" "$OUT"
cat "$REPORT"
log "wrote $OUT"
