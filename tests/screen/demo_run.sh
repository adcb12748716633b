#!/bin/sh
# Run `pgdeck demo` on this terminal, then check it left nothing behind.
#   demo_run.sh quit   pgdeck is quit by keys from the test script
#   demo_run.sh kill   pgdeck is killed with SIGKILL once the chain shows
set -u
log=$(mktemp /tmp/pgdeck-demo-test-XXXXXX)
trap 'rm -f "$log"' EXIT
# Ctrl-C on the terminal is for pgdeck, not for this checker.
trap '' INT
"$PGDECK" demo --no-config -r 1 </dev/tty 2>"$log" &
pid=$!
if [ "$1" = kill ]; then
	# Wait for the server, let the UI run a few seconds, then SIGKILL.
	i=0
	while [ $i -lt 600 ] && ! grep -q "starting PostgreSQL" "$log"; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 8
	kill -9 "$pid"
fi
wait "$pid"
rc=$?
dir=$(sed -n 's/^pgdeck demo: creating a cluster in //p' "$log")
printf '\033[2J\033[H'
if [ -z "$dir" ]; then
	echo "demo never created its cluster:"
	cat "$log"
	exit 3
fi
# The keeper cleans up after pgdeck is gone; allow it some seconds.
i=0
while [ $i -lt 300 ] && [ -e "$dir" ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ -e "$dir" ] || pgrep -f "postgres -D $dir/data" >/dev/null; then
	echo "demo left $dir or its server behind"
	exit 4
fi
if [ "$1" = quit ] && [ "$rc" -ne 0 ]; then
	echo "pgdeck demo exited $rc"
	exit 5
fi
echo "demo cleaned up"
exit 0
