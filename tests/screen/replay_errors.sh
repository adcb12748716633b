#!/bin/sh
# Each bad replay prints one line and exits 2; the last line sums up.
fx=$(dirname "$0")/fixtures
bad=0
for f in foreign.db truncated-capture.db does-not-exist.db; do
	"$PGDECK" replay "$fx/$f"
	[ $? -eq 2 ] || bad=$((bad + 1))
done
"$PGDECK" replay --at 99:99 "$fx/demo-capture.db"
[ $? -eq 2 ] || bad=$((bad + 1))
sum=$(cksum < "$fx/demo-capture.db")
"$PGDECK" replay --summary "$fx/demo-capture.db" || bad=$((bad + 1))
[ "$sum" = "$(cksum < "$fx/demo-capture.db")" ] || bad=$((bad + 1))
echo "replay-errors: $bad unexpected"
sleep 1
exit 0
