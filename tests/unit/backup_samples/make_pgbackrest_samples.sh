#!/usr/bin/env bash
# Regenerate the pgbackrest_*.json samples from a real pgBackRest against a
# throwaway cluster (tests/harness/pg_server.sh), loopback only:
#
#   tests/unit/backup_samples/make_pgbackrest_samples.sh [PGDIR]
#
# Captures: a stanza not yet created (status 1), a created stanza with no
# backups (status 2), full + diff + incr backups, the same with --set on
# the full, and what info prints when its info files are unreadable.
# Labels and times differ on every run: the unit tests then need their
# asserted values updated.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
pgdir=${1:-/tmp/bkparse-pg}
work=$(mktemp -d /tmp/bkparse-pgbr-XXXXXX)
chmod 755 "$work"

"$top/tests/harness/pg_server.sh" start "$pgdir"
cleanup() {
	"$top/tests/harness/pg_server.sh" stop "$pgdir" || true
	rm -rf "$work"
}
trap cleanup EXIT
# shellcheck disable=SC1091
. "$pgdir/env"

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

conf=$work/pgbackrest.conf
cat >"$conf" <<CONF
[global]
repo1-type=posix
repo1-path=$work/repo
repo1-retention-full=4
lock-path=$work/lock
log-path=$work/log
spool-path=$work/spool
start-fast=y
archive-timeout=10
compress-type=lz4
log-level-console=warn
log-level-file=off

[demo]
pg1-path=$PGDECK_TEST_PGDATA
pg1-port=$PGDECK_TEST_PGPORT
pg1-socket-path=$pgdir
pg1-user=postgres
CONF
mkdir -p "$work/repo" "$work/lock" "$work/log" "$work/spool"
if [ "$(id -u)" = 0 ]; then
	chown -R postgres:postgres "$work"
fi
pgbr() { as_pg pgbackrest --config="$conf" --stanza=demo "$@"; }

psql() {
	"$PGDECK_TEST_PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGDECK_TEST_PGPORT" \
		-U postgres -d postgres "$@"
}
psql -c "ALTER SYSTEM SET archive_mode = on" \
	-c "ALTER SYSTEM SET archive_command = 'pgbackrest --config=$conf --stanza=demo archive-push %p'"
$PGDECK_TEST_RESTART >/dev/null

pgbr info --output=json >"$here/pgbackrest_missing.json"
pgbr stanza-create
pgbr info --output=json >"$here/pgbackrest_empty.json"

psql -c "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g"
pgbr backup --type=full
psql -c "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(20001, 40000) g"
pgbr backup --type=diff
psql -c "UPDATE t SET v = upper(v) WHERE id % 10 = 0"
pgbr backup --type=incr --annotation=source=pgdeck-sample
pgbr info --output=json >"$here/pgbackrest_info.json"
full=$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["backup"][0]["label"])' \
	<"$here/pgbackrest_info.json")
pgbr info --output=json --set="$full" >"$here/pgbackrest_set.json"

# A command line info refuses: no JSON, only an error line (stdout and
# stderr together, as the pane may capture them).
pgbr info --output=json --repo=3 >"$here/pgbackrest_error.out" 2>&1 || true
# Unreadable info files: status 99 with the reason in the repo's message.
for f in backup.info backup.info.copy; do
	echo garbage >"$work/repo/backup/demo/$f"
done
pgbr info --output=json >"$here/pgbackrest_corrupt.json"

# Pretty and stable for review: pgBackRest prints one line.
for f in missing empty info set corrupt; do
	python3 -m json.tool --indent 2 "$here/pgbackrest_$f.json" >"$work/pp"
	cp "$work/pp" "$here/pgbackrest_$f.json"
done
sed -i "s|$work|/tmp/bkparse-pgbr|g" "$here"/pgbackrest_*.json "$here/pgbackrest_error.out"
echo "samples written to $here"
