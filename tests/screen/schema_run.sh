#!/bin/sh
# pgdeck on a database of its own on the test server, made from
# fixtures/schema.sql, for the Schema pane.
set -eu
: "${PGDECK_TEST_PGPORT:?run through scripts/test (needs the test server)}"
db=pgdeck_schema_fixture
psql() {
	"$PGDECK_TEST_PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
	    -p "$PGDECK_TEST_PGPORT" -U postgres "$@" >/dev/null 2>&1 </dev/null
}
psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -d $db -f "$(dirname "$0")/fixtures/schema.sql"
state=$(mktemp -d /tmp/pgdeck-schema-XXXXXX)
XDG_STATE_HOME=$state "$PGDECK" --no-config -r 2 "$@" \
    "$PGDECK_TEST_CONNINFO dbname=$db"
rc=$?
rm -rf "$state"
exit $rc
