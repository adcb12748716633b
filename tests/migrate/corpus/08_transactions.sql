-- Transaction blocks: every lock is held to COMMIT, so what follows an
-- ACCESS EXCLUSIVE lock keeps the table blocked; statements that cannot
-- run in a transaction block fail there.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=customers:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE customers ADD COLUMN tier text;

-- expect: lock=customers:RowExclusiveLock write=customers class=dml
-- expect: findings=access-exclusive-held tx
UPDATE customers SET tier = 'basic' WHERE id < 1000;

-- expect: lock=- class=none findings=- tx
COMMIT;

-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=orders:ShareUpdateExclusiveLock build=orders class=index
-- expect: findings=concurrently-in-transaction notx
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);

-- expect: lock=- class=none findings=- tx
COMMIT;

-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=orders:ShareRowExclusiveLock,customers:ShareRowExclusiveLock
-- expect: scan=- class=metadata findings=fk-without-index tx
ALTER TABLE orders ADD CONSTRAINT orders_referrer_id_fkey
	FOREIGN KEY (referrer_id) REFERENCES customers (id) NOT VALID;

-- expect: lock=orders:ShareUpdateExclusiveLock,customers:RowShareLock
-- expect: scan=orders,customers class=fk findings=validate-same-transaction tx
ALTER TABLE orders VALIDATE CONSTRAINT orders_referrer_id_fkey;

-- expect: lock=- class=none findings=- tx
COMMIT;

-- A new enum value cannot be used before its transaction commits.
-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=order_status:ExclusiveLock findings=- tx
ALTER TYPE order_status ADD VALUE 'refunded';

-- expect: lock=orders:RowExclusiveLock write=orders class=dml
-- expect: findings=enum-value-in-transaction tx
UPDATE orders SET status = 'refunded' WHERE status = 'cancelled';

-- expect: lock=- class=none findings=- tx
COMMIT;

-- Outside a transaction block the value is committed at once.
-- expect: lock=order_status:ExclusiveLock findings=- tx
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'on_hold' AFTER 'paid';

-- expect: lock=orders:RowExclusiveLock write=orders class=dml findings=- tx
UPDATE orders SET status = 'on_hold' WHERE id = 1;

-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=- class=none findings=transaction-nesting tx
BEGIN;

-- expect: lock=warehouses:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE warehouses ADD COLUMN capacity integer;

-- expect: lock=- class=none findings=- tx
COMMIT;

-- One ACCESS EXCLUSIVE lock, then two more statements: both prolong it.
-- expect: lock=- class=none findings=- tx
START TRANSACTION;

-- expect: lock=- class=none findings=- tx
SET LOCAL statement_timeout = '10s';

-- expect: lock=products:AccessExclusiveLock class=metadata
-- expect: findings=rename-column tx
ALTER TABLE products RENAME COLUMN legacy_code TO old_code;

-- expect: lock=warehouses:AccessExclusiveLock class=metadata
-- expect: findings=access-exclusive-held tx
ALTER TABLE warehouses ADD COLUMN opened_on date;

-- expect: lock=warehouses:RowExclusiveLock write=warehouses class=dml
-- expect: findings=access-exclusive-held tx
UPDATE warehouses SET opened_on = DATE '2020-01-01' WHERE id = 1;

-- expect: lock=- class=none findings=- tx
END;

-- Savepoints do not end the transaction.
-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=- class=none findings=- tx
SAVEPOINT before_backfill;

-- expect: lock=sessions:RowExclusiveLock write=sessions class=dml
-- expect: findings=- tx
UPDATE sessions SET expires_at = now() + interval '30 days'
	WHERE expires_at IS NULL;

-- expect: lock=- class=none findings=- tx
RELEASE SAVEPOINT before_backfill;

-- expect: lock=- class=none findings=- tx
COMMIT;

-- Other statements that cannot run in a transaction block.
-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=orders_status_placed_idx:ShareUpdateExclusiveLock,orders:ShareUpdateExclusiveLock
-- expect: findings=concurrently-in-transaction notx
DROP INDEX CONCURRENTLY orders_status_placed_idx;

-- expect: lock=orders:ShareUpdateExclusiveLock
-- expect: findings=concurrently-in-transaction notx
VACUUM orders;

-- expect: lock=- class=none findings=- tx
ROLLBACK;
