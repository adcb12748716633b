#!/bin/sh
# A client on the SQL_ASCII database runs a query with a raw 0xE9 byte.
set -eu
: "${PGDECK_TEST_PGPORT:?run through scripts/test (needs the test server)}"
q=$(printf "SELECT 'caf\351' AS latin, pg_sleep(20)")
# Not tracked by pg_stat_statements: its text could not be converted to
# UTF-8, and pg_stat_statements(true) fails whole on one such entry,
# which would take the query texts away from every later test on the
# shared server (live_top waits for one).
PGOPTIONS='-c pg_stat_statements.track=none' \
PGCLIENTENCODING=SQL_ASCII "$PGDECK_TEST_PGBIN/psql" -X -q -h 127.0.0.1 \
	-p "$PGDECK_TEST_PGPORT" -U postgres \
	-d "dbname=latin application_name=latin-client" -c "$q" \
	>/dev/null 2>&1 </dev/null &
sleep 1
exec "$PGDECK" --no-config -r 1 --theme high-contrast "$PGDECK_TEST_CONNINFO"
