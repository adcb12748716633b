#!/bin/sh
# pgdeck on the test server, which is stopped for 8 s after 3 s.
set -eu
: "${PGDECK_TEST_STOP:?run through scripts/test (needs the test server)}"
(sleep 3; sh -c "$PGDECK_TEST_STOP" >/dev/null 2>&1; sleep 8;
 sh -c "$PGDECK_TEST_START" >/dev/null 2>&1) </dev/null &
exec "$PGDECK" --no-config -r 1 "$PGDECK_TEST_CONNINFO"
