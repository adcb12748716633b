#!/usr/bin/env bash
# bench/plan.sh - what does opening a 20,000-node EXPLAIN plan cost, and
# how fast does the Plan pane answer a key on it?
#
#   bench/plan.sh [open] [pane]        (default: both)
#
# open   bench/plangen.c writes a synthetic EXPLAIN (ANALYZE, BUFFERS,
#        VERBOSE) plan of 20,000 nodes as PostgreSQL 15 prints it (JSON,
#        and psql's text format with and without the per-worker lines),
#        and one of about 50 MB (9,000 nodes, the same 400-deep chain);
#        bench/planopen.c times plan_load() on each, RUNS times, each in
#        a fresh process: wall, CPU, peak RSS, what the plan keeps, and
#        the parts (read, plan_unframe(), jansson, plan_analyze()).
# pane   `pgdeck explain big.json` on a 50x200 pty (bench/planopen.c pty,
#        which drives bench/ptyrun.c's pty code): fork to the first frame
#        marker (PGDECK_TEST_SYNC=1), then the time from each key to the
#        next frame: KEYS (default below) over the 20,000-node tree; and
#        the first frame of the 50 MB plan.
#        Skipped, with a note, if the binary has no Plan pane yet.
#
# Builds build/bench (Release, tests off) from the working tree if
# needed, then copies its libpgdeck_engine.a and pgdeck into a temp dir,
# so a rebuild during the run changes nothing.  Writes
# bench/results/plan-DATE.md and prints the same Markdown.  Everything it
# starts is stopped by pid and the temp dir removed on exit, Ctrl-C
# included.
#
# Environment (all optional):
#   BENCH_BUILD  the build dir (default build/bench; configured as Release
#                if it does not exist; BENCH_NO_BUILD=1 uses it as is)
#   PGDECK       pgdeck binary (default BENCH_BUILD/pgdeck)
#   RUNS         runs of each measurement (default 5)
#   NODES        nodes of the big plan (default 20000)
#   KEYS         keys for the pane (planopen.c pty syntax, default below)
#   BENCH_PERF   if set, add perf profiles of plan_load() on big.json and
#                big-nw.txt to the report
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
RUNS=${RUNS:-5}
NODES=${NODES:-20000}
KEYS=${KEYS:-Down*40,Up*20,PgDn*20,PgUp*10,End*5,Home*5,Space*10,h*8,H*6,w*6}

PARTS=("$@")
((${#PARTS[@]})) || PARTS=(open pane)
want() {
	local p
	for p in "${PARTS[@]}"; do [[ $p == "$1" ]] && return 0; done
	return 1
}
for p in "${PARTS[@]}"; do
	case $p in open | pane) ;; *)
		echo "usage: bench/plan.sh [open] [pane]" >&2
		exit 2 ;;
	esac
done

RESULTS_DIR=$ROOT/bench/results
STAMP=$(date +%Y-%m-%d-%H%M%S)
OUT=$RESULTS_DIR/plan-$STAMP.md
export LANG=C.UTF-8
unset LC_ALL

log() { printf '[plan] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup --

TMP=""
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
TMP=$(mktemp -d /tmp/pgdeck-planbench.XXXXXX)
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
log "compiling bench/plangen.c and bench/planopen.c in $TMP"
cc -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -o "$TMP/plangen" \
	"$ROOT/bench/plangen.c" -lm
# shellcheck disable=SC2086
cc -std=c11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -I"$ROOT/src" -I"$PGINC" \
	-o "$TMP/planopen" "$ROOT/bench/planopen.c" "$TMP/libpgdeck_engine.a" \
	$LIBS -lm -lutil

# shellcheck disable=SC2034	# arr and the arrays it fills are namerefs
kv() {
	local -n arr=$2
	local k v
	while read -r k v; do
		[[ -n $k ]] && arr[$k]=$v
	done <"$1"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
kbmb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
# status RESULT LIMIT: met or missed
status() { awk -v r="$1" -v l="$2" 'BEGIN { print (r + 0 < l + 0) ? "**met**" : "**missed**" }'; }

REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$ROOT" diff --quiet HEAD -- src ui 2>/dev/null ||
	[[ -n $(git -C "$ROOT" ls-files --others --exclude-standard -- src ui 2>/dev/null) ]]; then
	REV="$REV + uncommitted changes in src/ or ui/"
fi
BUILD_TYPE=$(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
REPORT=$TMP/report.md
{
	echo "# Plan pane benchmark, $STAMP"
	echo
	echo "pgdeck $REV, ${BUILD_TYPE:-?} build ($BUILD); $RUNS runs of each measurement."
} >"$REPORT"

# --------------------------------------------------------------- the plans --

log "generating the plans"
run "$TMP/plangen" -n "$NODES" -o "$TMP/big.json" 2>"$TMP/gen.json"
run "$TMP/plangen" -n "$NODES" -f text -o "$TMP/big.txt" 2>"$TMP/gen.txt"
run "$TMP/plangen" -n "$NODES" -f text -W -o "$TMP/big-nw.txt" 2>"$TMP/gen.nw"
run "$TMP/plangen" -n 9000 -d 400 -o "$TMP/p50.json" 2>"$TMP/gen.p50"
sed 's/^plangen: //' "$TMP/gen.json" >"$TMP/gen.sum"

# ------------------------------------------------------------ 1: open --

if want open; then
	for f in big.json p50.json big.txt big-nw.txt; do
		log "plan_load() on $f, $RUNS runs"
		run "$TMP/planopen" open -r "$RUNS" "$TMP/$f" >"$TMP/open.$f" \
			2>"$TMP/open.$f.err" || { cat "$TMP/open.$f.err" >&2; die "planopen failed on $f"; }
	done
	# shellcheck disable=SC2034	# used through namerefs
	declare -A J=() P=() T=() W=()
	kv "$TMP/open.big.json" J
	kv "$TMP/open.p50.json" P
	kv "$TMP/open.big.txt" T
	kv "$TMP/open.big-nw.txt" W
	row() {	# NAME ARRAY
		local -n a=$2
		if [[ -n ${a[load.error]:-} ]]; then
			echo "| $1 | $(mb "${a[file.bytes]}") | refused: \`${a[load.error]##*/}\` | | | | |"
			return
		fi
		echo "| $1 | $(mb "${a[file.bytes]}") | ${a[nodes]} | **${a[load.wall_ms]}** (${a[load.wall_range]}) | ${a[load.cpu_ms]} | $(kbmb "${a[load.peak_rss_kb]}") ($(awk -v p="${a[load.peak_rss_kb]}" -v b="${a[file.bytes]}" 'BEGIN { printf "%.1f", p * 1024 / b }')×) | $(kbmb "${a[load.heap_kb]}") / $(kbmb "${a[load.kept_rss_kb]}") |"
	}
	parts() {	# NAME ARRAY
		local -n a=$2
		[[ -z ${a[load.error]:-} ]] || return 0
		local rest
		rest=$(awk -v l="${a[load.cpu_ms]}" -v u="${a[unframe.cpu_ms]}" \
			-v j="${a[jansson.cpu_ms]:-0}" -v an="${a[analyze.ms]}" \
			-v n="$3" 'BEGIN { printf "%.0f", l - n * u - j - an }')
		echo "| $1 | ${a[read.wall_ms]} | ${a[unframe.cpu_ms]} × $3 | ${a[jansson.cpu_ms]:-} | ${a[analyze.ms]} | $rest | ${a[free.ms]} |"
	}
	{
		echo
		echo "## Opening the plan: plan_load()"
		echo
		echo "Command: \`bench/plan.sh open\` (bench/planopen.c open -r $RUNS FILE; each run in a fresh process)"
		echo
		echo "The plans (bench/plangen.c): $(cat "$TMP/gen.sum")"
		echo
		echo "| file | MB | nodes | wall ms, median (range) | CPU ms | peak RSS MB (× file) | heap kept / RSS kept MB |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		row "JSON, $NODES nodes" J
		row "JSON, about 50 MB ($(sed 's/^plangen: //; s/,.*//' "$TMP/gen.p50"))" P
		row "text as psql prints it (VERBOSE worker lines)" T
		row "text without the per-worker lines (\`plangen -W\`)" W
		echo
		echo "Where the CPU goes (ms; \"tree\" is the rest: jnode_fields() or the text parser's lines, props, labels):"
		echo
		echo "| file | read (wall) | plan_unframe() | jansson json_loadb() | plan_analyze() | tree | plan_free() |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		parts "JSON, $NODES nodes" J 1
		parts "JSON, about 50 MB" P 1
		parts "text without worker lines" W 2
		echo
		echo "Peak RSS of plan_unframe() alone on the $NODES-node JSON: $(kbmb "${J[unframe.peak_rss_kb]}") MB; of json_loadb() alone: $(kbmb "${J[jansson.peak_rss_kb]}") MB; of reading the file: $(kbmb "${J[read.peak_rss_kb]}") MB."
	} >>"$REPORT"
	if [[ -n ${BENCH_PERF:-} ]]; then
		command -v perf >/dev/null || die "BENCH_PERF is set but perf is missing"
		for f in big.json big-nw.txt; do
			log "perf on plan_load($f)"
			run perf record -q -F 2999 -o "$TMP/perf.$f" \
				"$TMP/planopen" open -r 1 "$TMP/$f" >/dev/null 2>&1
			{
				echo
				echo "perf profile of planopen open -r 1 $f (load, analyze again, free, and the parts), top 20:"
				echo
				echo '```'
				{ perf report -i "$TMP/perf.$f" --no-children \
					--sort dso,sym --stdio 2>/dev/null || true; } |
					awk '/^ +[0-9]/ && n++ < 20'
				echo '```'
			} >>"$REPORT"
		done
	fi
fi

# ------------------------------------------------------------ 2: pane --

if want pane; then
	PANE_OK=0
	log "pgdeck explain big.json: is there a Plan pane?"
	if PTYRUN_DUMP=$TMP/frame.txt run "$TMP/planopen" pty 60 "" -- \
		"$TMP/pgdeck" --no-config explain "$TMP/big.json" \
		>"$TMP/pane.probe" 2>"$TMP/pane.probe.err" &&
		grep -q 'Limit' "$TMP/frame.txt"; then
		PANE_OK=1
	fi
	if ((PANE_OK)); then
		: >"$TMP/ff.all"
		: >"$TMP/ff50.all"
		for ((i = 1; i <= RUNS; i++)); do
			log "pane run $i of $RUNS: $KEYS"
			run "$TMP/planopen" pty 60 "$KEYS" -- "$TMP/pgdeck" \
				--no-config explain "$TMP/big.json" >"$TMP/pane.$i" \
				2>"$TMP/pane.$i.err" || { cat "$TMP/pane.$i.err" >&2; die "pane run $i failed"; }
			awk '/^first_frame_ms/ { print $2 }' "$TMP/pane.$i" >>"$TMP/ff.all"
			run "$TMP/planopen" pty 60 "" -- "$TMP/pgdeck" --no-config \
				explain "$TMP/p50.json" >"$TMP/p50.$i" 2>&1 ||
				{ cat "$TMP/p50.$i" >&2; die "first frame of p50.json failed"; }
			awk '/^first_frame_ms/ { print $2 }' "$TMP/p50.$i" >>"$TMP/ff50.all"
		done
		declare -A K=()
		kv "$TMP/pane.$RUNS" K
		{
			echo
			echo "## The Plan pane on the $NODES-node plan"
			echo
			echo "Command: \`bench/plan.sh pane\` (bench/planopen.c pty 60 KEYS -- pgdeck --no-config explain big.json; 50x200, TERM=xterm, PGDECK_TEST_SYNC=1)"
			echo
			echo "| measure | median ms | range ms ($RUNS runs) |"
			echo "|---|---:|---:|"
			echo "| fork to first frame, big.json ($NODES nodes, $(mb "$(stat -c %s "$TMP/big.json")") MB) | $(median <"$TMP/ff.all") | $(minmax <"$TMP/ff.all") |"
			echo "| fork to first frame, p50.json ($(sed 's/^plangen: //; s/,.*//' "$TMP/gen.p50"), $(mb "$(stat -c %s "$TMP/p50.json")") MB) | $(median <"$TMP/ff50.all") | $(minmax <"$TMP/ff50.all") |"
			echo
			echo "Key to next frame marker (each key sent after the screen settled; the median of each run's median, and the worst single key over all runs):"
			echo
			echo "| key | presses per run | median ms | p90 ms (median of runs) | max ms (all runs) |"
			echo "|---|---:|---:|---:|---:|"
			IFS=, read -ra KL <<<"$KEYS"
			for k in "${KL[@]}"; do
				name=${k%%\**}
				med=$(cat "$TMP"/pane.[0-9]* | awk -v k="key.$name.median_ms" '$1 == k { print $2 }' | median)
				p90=$(cat "$TMP"/pane.[0-9]* | awk -v k="key.$name.p90_ms" '$1 == k { print $2 }' | median)
				mx=$(cat "$TMP"/pane.[0-9]* | awk -v k="key.$name.max_ms" '$1 == k { print $2 }' | sort -g | tail -n 1)
				echo "| $name | ${K[key.$name.n]:-0} | $med | $p90 | $mx |"
			done
			echo
			echo "Last run: $(awk -v u="${K[run.user_s]}" -v s="${K[run.sys_s]}" 'BEGIN { printf "%.2f", u + s }') s CPU for ${K[run.frames]} frames; peak RSS $(kbmb "${K[run.maxrss_kb]}") MB; exit ${K[run.exit]}."
		} >>"$REPORT"
	else
		{
			echo
			echo "## The Plan pane"
			echo
			echo "Not measured: \`pgdeck explain big.json\` did not draw a plan frame in 60 s ($(head -c 300 "$TMP/pane.probe.err" | tr '\n' ' '))."
		} >>"$REPORT"
	fi
fi

{
	echo
	echo "Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), jansson $(pkg-config --modversion jansson), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
} >>"$REPORT"

cp "$REPORT" "$OUT"
cat "$REPORT"
log "wrote $OUT"
