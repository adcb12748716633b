#!/bin/sh
# Hold a real blocking chain, then run pgdeck on the test server.
set -e
: "${PGDECK_TEST_CONNINFO:?run through scripts/test (needs the test server)}"
"$CHAINLOAD" "$PGDECK_TEST_CONNINFO" 3 >/dev/null </dev/null &
sleep 2
exec "$PGDECK" --no-config -r 1 --theme monochrome "$PGDECK_TEST_CONNINFO application_name=pgdeck"
