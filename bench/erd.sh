#!/usr/bin/env bash
# bench/erd.sh - how long does the Schema pane's ERD take to lay out, and
# how does it compare with Graphviz's dot?
#
#   bench/erd.sh [SIZES...]            (default: 30 100 300 1000)
#
# bench/erdgen.c generates a synthetic schema of each size (about 1.2 FKs
# per table, five hub tables, self-references and a few cycles; the same
# schema every run) and times, in one process per engine and size:
#   ours   erd_layout() (key columns, no cap), erd_render() of the whole
#          diagram, and a neighbourhood view of the busiest hub (extract
#          + layout + render) at 1 and 2 hops;
#   dot    Graphviz dot through libgvc, boxes of our sizes, splines=spline;
#   ortho  the same with splines=ortho (orthogonal edges, as ours).
# RUNS runs each (default 5), the median reported, and the crossings of
# the result (ours exact; ortho counted from its axis-parallel control
# points, so approximate; spline not counted).  The Graphviz engines are
# skipped when libgvc (libgraphviz-dev) is missing, and a size is given
# up after GVC_TIMEOUT seconds (default 300).
#
# The ERD sources are compiled straight into the generator with -O2 (the
# engine library's other parts are not needed), so nothing else has to
# build.  Writes bench/results/erd-DATE.md and prints the same Markdown.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
GVC_TIMEOUT=${GVC_TIMEOUT:-300}
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(30 100 300 1000)
RESULTS_DIR=$ROOT/bench/results
STAMP=$(date +%Y-%m-%d-%H%M%S)
OUT=$RESULTS_DIR/erd-$STAMP.md
export LANG=C.UTF-8
unset LC_ALL

log() { printf '[erd] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

TMP=$(mktemp -d /tmp/pgdeck-erdbench.XXXXXX)
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

command -v cc >/dev/null || die "cc not found"
SRC=("$ROOT"/src/erd/*.c "$ROOT/src/core/util.c" "$ROOT/src/core/strbuf.c"
	"$ROOT/src/core/utf8.c")
GVC_FLAGS=() GVC_LIBS=()
if pkg-config --exists libgvc 2>/dev/null; then
	read -ra GVC_FLAGS <<<"-DHAVE_GVC $(pkg-config --cflags libgvc)"
	read -ra GVC_LIBS <<<"$(pkg-config --libs libgvc)"
	GVC_VERSION=$(pkg-config --modversion libgvc)
else
	log "libgvc not found (apt install libgraphviz-dev): Graphviz not measured"
fi
log "compiling bench/erdgen.c"
cc -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED \
	-I"$ROOT/src" "${GVC_FLAGS[@]}" -o "$TMP/erdgen" "$ROOT/bench/erdgen.c" \
	"${SRC[@]}" "${GVC_LIBS[@]}" -lm

# shellcheck disable=SC2034	# arr is a nameref
kv() {
	local -n arr=$2
	local k v
	while read -r k v; do
		[[ -n $k ]] && arr[$k]=$v
	done <"$1"
}

REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- src/erd bench/erdgen.c 2>/dev/null; then
	REV="$REV + uncommitted changes"
fi
REPORT=$TMP/report.md
{
	echo "# ERD layout benchmark, $STAMP"
	echo
	echo "pgdeck $REV; command \`bench/erd.sh ${SIZES[*]}\`; median of $RUNS runs (range); cc -O2."
	echo
	echo "| tables | FKs | engine | layout ms | crossings | size (rows x cols) | render ms | hub 1 hop: tables, ms | hub 2 hops: tables, ms |"
	echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|"
} >"$REPORT"

declare -A SKIP=()
for n in "${SIZES[@]}"; do
	log "$n tables: ours"
	"$TMP/erdgen" -n "$n" -r "$RUNS" -e ours -o "$TMP/diagram-$n.txt" >"$TMP/ours.$n"
	declare -A O=()
	kv "$TMP/ours.$n" O
	echo "| $n | ${O[fks]} | pgdeck | **${O[layout_ms]}** (${O[layout_ms_min]}-${O[layout_ms_max]}) | ${O[crossings]} | ${O[rows]} x ${O[cols]} | ${O[render_ms]} | ${O[hood1_nodes]}, ${O[hood1_ms]} | ${O[hood2_nodes]}, ${O[hood2_ms]} |" >>"$REPORT"
	unset O
	((${#GVC_FLAGS[@]})) || continue
	for e in dot ortho; do
		log "$n tables: Graphviz $e"
		if [[ -n ${SKIP[$e]:-} ]]; then
			echo "| $n | | dot ($e) | not run: ${SKIP[$e]} | | | | | |" >>"$REPORT"
			continue
		fi
		rc=0
		timeout "$GVC_TIMEOUT" "$TMP/erdgen" -n "$n" -r "$RUNS" -e "$e" \
			>"$TMP/$e.$n" 2>"$TMP/$e.$n.err" || rc=$?
		if ((rc == 124)); then
			echo "| $n | | dot ($e) | over ${GVC_TIMEOUT} s for $RUNS runs | | | | | |" >>"$REPORT"
			SKIP[$e]="$e gave up at a smaller size"
			continue
		fi
		((rc == 0)) || die "erdgen -e $e -n $n failed: $(head -c 300 "$TMP/$e.$n.err")"
		declare -A G=()
		kv "$TMP/$e.$n" G
		echo "| $n | ${G[fks]} | dot ($e) | **${G[layout_ms]}** (${G[layout_ms_min]}-${G[layout_ms_max]}) | ${G[crossings]:-not counted} | ${G[rows]} x ${G[cols]} | | | |" >>"$REPORT"
		unset G
	done
done
{
	echo
	echo "Sizes: ours in canvas cells; Graphviz's bounding box converted at 7.2 x 14.4 points per cell."
	echo
	echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), Linux $(uname -r), libgvc ${GVC_VERSION:-absent}, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$REPORT"

mkdir -p "$RESULTS_DIR"
cp "$REPORT" "$OUT"
for n in "${SIZES[@]}"; do
	cp "$TMP/diagram-$n.txt" "$RESULTS_DIR/erd-$STAMP-$n.txt"
done
cat "$REPORT"
log "wrote $OUT (and the diagrams as erd-$STAMP-N.txt)"
