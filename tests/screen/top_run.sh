#!/bin/sh
# pgdeck on the test server with a steady workload of a known statement,
# its history in a fresh directory.
set -eu
: "${PGDECK_TEST_PGPORT:?run through scripts/test (needs the test server)}"
state=$(mktemp -d /tmp/pgdeck-top-XXXXXX)
"$PGDECK_TEST_PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGDECK_TEST_PGPORT" \
	-U postgres -d postgres \
	-c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
	-c "CREATE TABLE IF NOT EXISTS pgdeck_screen_marker AS SELECT 1 AS one" \
	>/dev/null 2>&1 </dev/null
# 10 seconds of a statement the screen test looks for.  Its own table
# gives it its own queryid: a comment would not (pg_stat_statements keeps
# the first text seen for a queryid, and other tests run pg_sleep too).
(
	i=0
	while [ $i -lt 200 ]; do
		echo "SELECT pg_sleep(0.05) FROM pgdeck_screen_marker;"
		i=$((i + 1))
	done
) | "$PGDECK_TEST_PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGDECK_TEST_PGPORT" \
	-U postgres -d "dbname=postgres application_name=marker-client" \
	>/dev/null 2>&1 &
XDG_STATE_HOME=$state "$PGDECK" --no-config -r 0.5 "$@" "$PGDECK_TEST_CONNINFO"
rc=$?
rm -rf "$state"
exit $rc
