#!/usr/bin/env bash
# bench/schema.sh - how long does the Schema pane take to load the catalog
# of a database with 10,000 tables?  (Target: phase CATALOG under 2 s.)
#
#   bench/schema.sh
#
# Starts its own PostgreSQL with tests/harness/pg_server.sh in a temp dir
# and creates, in 20 schemas, TABLES tables (default 10000) t_NNNNN of 6
# columns each (id bigint primary key, parent_id, name text, created_at
# timestamptz, amount numeric, attrs jsonb), with a comment on every table
# and on its name column; every 2nd table has a FK parent_id -> the
# previous table's id (indexed on every 4th table, so half the FKs are
# unindexed), every 3rd an index on created_at, every 10th a unique
# (name, created_at) constraint; 10 rows in each, then ANALYZE (so
# pg_stats has widths).  bench/schemaload.c then loads both phases RUNS
# times (default 5), each on a new connection, writes each catalog as
# JSON and reads it back, and prints the medians and the JSON's size.
#
# Builds build/bench (Release, tests off) from the working tree if needed
# (BENCH_NO_BUILD=1 uses it as is).  Writes bench/results/schema-DATE.txt
# and prints the same.  The server it started is stopped and the temp dir
# removed on exit, Ctrl-C included.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
RUNS=${RUNS:-5}
TABLES=${TABLES:-10000}
RESULTS_DIR=$ROOT/bench/results
OUT=$RESULTS_DIR/schema-$(date +%Y-%m-%d-%H%M%S).txt

log() { printf '[schema] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

TMP=""
PGDIR=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	set +e
	[[ -n $PGDIR ]] && "$ROOT/tests/harness/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

command -v cc >/dev/null || die "cc not found"
TMP=$(mktemp -d /tmp/pgdeck-schemabench.XXXXXX)
chmod 755 "$TMP"
if [[ -z ${BENCH_NO_BUILD:-} ]]; then
	if [[ ! -f $BUILD/CMakeCache.txt ]]; then
		log "configuring $BUILD (Release)"
		cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
			-DPGDECK_TESTS=OFF >"$TMP/cmake.log" 2>&1 ||
			{ cat "$TMP/cmake.log" >&2; die "cmake failed"; }
	fi
	log "building $BUILD"
	cmake --build "$BUILD" -j "$(nproc)" --target pgdeck_engine \
		>"$TMP/build.log" 2>&1 ||
		{ tail -n 30 "$TMP/build.log" >&2; die "the build failed"; }
fi
[[ -f $BUILD/libpgdeck_engine.a ]] || die "no $BUILD/libpgdeck_engine.a"
cp "$BUILD/libpgdeck_engine.a" "$TMP/"
# shellcheck disable=SC2046
cc -std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -I"$ROOT/src" \
	-I"$(pg_config --includedir)" -o "$TMP/schemaload" \
	"$ROOT/bench/schemaload.c" "$TMP/libpgdeck_engine.a" \
	$(pkg-config --libs libpq jansson sqlite3) -lpg_query -lm -ldl

PGDIR=$TMP/pg
log "starting a server in $PGDIR"
"$ROOT/tests/harness/pg_server.sh" start "$PGDIR" >"$TMP/pg.log" 2>&1 ||
	{ cat "$TMP/pg.log" >&2; PGDIR=""; die "pg_server.sh start failed"; }
# shellcheck disable=SC1091
. "$PGDIR/env"
BASE=$PGDECK_TEST_CONNINFO
DB="host=127.0.0.1 port=$PGDECK_TEST_PGPORT user=postgres dbname=schemabench"
psql "$BASE" -XqAt -c "CREATE DATABASE schemabench"

log "creating $TABLES tables"
t0=$(date +%s.%N)
psql "$DB" -XqAt -v ON_ERROR_STOP=1 -v tables="$TABLES" <<'SQL'
SELECT format('CREATE SCHEMA s%s', g) FROM generate_series(0, 19) g \gexec
CREATE PROCEDURE make_tables(n int) LANGUAGE plpgsql AS $$
DECLARE
	t text;
	prev text;
BEGIN
	FOR i IN 1 .. n LOOP
		t := format('s%s.t_%s', i % 20, lpad(i::text, 5, '0'));
		EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY,'
		    ' parent_id bigint, name text NOT NULL, created_at'
		    ' timestamptz NOT NULL DEFAULT now(), amount numeric(12,2),'
		    ' attrs jsonb)', t);
		EXECUTE format('COMMENT ON TABLE %s IS %L', t,
		    'Table number ' || i);
		EXECUTE format('COMMENT ON COLUMN %s.name IS %L', t,
		    'What it is called');
		IF i % 2 = 0 THEN
			EXECUTE format('ALTER TABLE %s ADD FOREIGN KEY (parent_id)'
			    ' REFERENCES %s (id)', t, prev);
			IF i % 4 = 0 THEN
				EXECUTE format('CREATE INDEX ON %s (parent_id)', t);
			END IF;
		END IF;
		IF i % 3 = 0 THEN
			EXECUTE format('CREATE INDEX ON %s (created_at)', t);
		END IF;
		IF i % 10 = 0 THEN
			EXECUTE format('ALTER TABLE %s ADD UNIQUE (name,'
			    ' created_at)', t);
		END IF;
		EXECUTE format('INSERT INTO %s (id, name, amount) SELECT g,'
		    ' ''row '' || g, g * 1.5 FROM generate_series(1, 10) g', t);
		prev := t;
		IF i % 200 = 0 THEN
			COMMIT;
		END IF;
	END LOOP;
END
$$;
CALL make_tables(:tables);
DROP PROCEDURE make_tables(int);
ANALYZE;
SQL
t1=$(date +%s.%N)
GEN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }')
DBSIZE=$(psql "$DB" -XqAt -c "SELECT pg_size_pretty(pg_database_size(current_database()))")
NCLASS=$(psql "$DB" -XqAt -c "SELECT count(*) FROM pg_class")

log "loading the catalog $RUNS times"
"$TMP/schemaload" "$DB" "$RUNS" >"$TMP/load.txt"
declare -A M=()
while read -r k v; do M[$k]=$v; done <"$TMP/load.txt"

# The pane itself: pgdeck on a pseudo-terminal (vtrun), '4' pressed, the
# time from the request to the tree in the pane and to its sizes, from
# pgdeck's own debug log (it is kept open 15 s: sizes show in the tree
# after DETAIL's first query, before the phase is complete).  Needs build/pgdeck and build/tests/vtrun (the
# normal build); skipped with a note otherwise.
FRAME=""
PGDECK_BIN=${PGDECK_BIN:-$ROOT/build/pgdeck}
VTRUN=${VTRUN:-$ROOT/build/tests/vtrun}
if [[ -x $PGDECK_BIN && -x $VTRUN ]]; then
	log "opening the Schema pane $RUNS times"
	shown=() sized=()
	for _ in $(seq 1 "$RUNS"); do
		rm -f "$TMP/pgdeck.log"
		cat >"$TMP/frame.vt" <<VT
size 200 50
env PGDECK_LOG=$TMP/pgdeck.log
run $PGDECK_BIN --no-config --no-history "$DB"
wait-text "Sessions:" 30000
key 4
wait-text "$TABLES tables" 60000
key Down Space
wait-text " kB" 120000
sleep 15000
key q
VT
		"$VTRUN" "$TMP/frame.vt" >"$TMP/vtrun.log" 2>&1 ||
			{ cat "$TMP/vtrun.log" >&2; die "vtrun failed"; }
		shown+=("$(sed -n 's/.*schema: [0-9]* relations in the pane \([0-9]*\) ms.*/\1/p' "$TMP/pgdeck.log")")
		sized+=("$(sed -n 's/.*schema: sizes in the pane \([0-9]*\) ms.*/\1/p' "$TMP/pgdeck.log")")
	done
	med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
	FRAME="| the pane: tree shown | $(med "${shown[@]}") | $(printf '%s\n' "${shown[@]}" | sort -n | head -n 1) | $(printf '%s\n' "${shown[@]}" | sort -n | tail -n 1) | |
| the pane: sizes shown | $(med "${sized[@]}") | $(printf '%s\n' "${sized[@]}" | sort -n | head -n 1) | $(printf '%s\n' "${sized[@]}" | sort -n | tail -n 1) | |"
else
	log "no $PGDECK_BIN or $VTRUN: the pane's own timing is skipped"
fi

mkdir -p "$RESULTS_DIR"
{
	echo "# bench/schema.sh $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "Machine: $(nproc) CPUs, $(uname -sr); PostgreSQL $(psql "$DB" -XqAt -c 'SHOW server_version')"
	echo "Engine: $BUILD ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
	echo "Database: $TABLES tables in 20 schemas, made in ${GEN_S} s; $DBSIZE; $NCLASS rows in pg_class"
	echo "Catalog: ${M[schemas]} schemas, ${M[relations]} relations, ${M[columns]} columns, ${M[indexes]} indexes, ${M[constraints]} constraints (${M[fks]} FKs), ${M[findings]} findings"
	echo
	echo "Medians of ${M[runs]} runs, each on a new connection (ms):"
	echo
	echo "| phase | median | min | max | sch_finish |"
	echo "|---|---:|---:|---:|---:|"
	echo "| CATALOG | ${M[catalog_ms]} | ${M[catalog_min_ms]} | ${M[catalog_max_ms]} | ${M[catalog_finish_ms]} |"
	echo "| DETAIL | ${M[detail_ms]} | ${M[detail_min_ms]} | ${M[detail_max_ms]} | ${M[detail_finish_ms]} |"
	[[ -n $FRAME ]] && echo "$FRAME"
	echo "| sch_lint | ${M[lint_ms]} | | | |"
	echo "| sch_catalog_to_json | ${M[to_json_ms]} | | | |"
	echo "| sch_catalog_from_json | ${M[from_json_ms]} | | | |"
	echo
	echo "Catalog JSON: ${M[json_bytes]} bytes"
	echo
	echo "Per query (median ms, server round trip + client parse):"
	echo
	echo "| query | server | parse |"
	echo "|---|---:|---:|"
	for k in $(printf '%s\n' "${!M[@]}" | grep '_server_ms$' | sort -V); do
		q=${k%_server_ms}
		echo "| $q | ${M[$k]} | ${M[${q}_parse_ms]} |"
	done
} | tee "$OUT"
log "written $OUT"
