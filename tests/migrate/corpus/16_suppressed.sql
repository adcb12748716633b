-- Inline suppression: "-- pgdeck:ignore RULE" in the comments before a
-- statement marks that rule's finding on that statement as suppressed.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- The table is small; a plain build is fine here.
-- pgdeck:ignore index-not-concurrent
-- expect: lock=warehouses:ShareLock build=warehouses class=index
-- expect: findings=- suppressed=index-not-concurrent tx
CREATE INDEX warehouses_city_idx ON warehouses (city);

-- Only the rule named is suppressed.
-- pgdeck:ignore rename-column
-- expect: lock=products:AccessExclusiveLock class=metadata
-- expect: findings=drop-column suppressed=- tx
ALTER TABLE products DROP COLUMN legacy_code;

-- pgdeck:ignore drop-table
-- expect: lock=legacy_import:AccessExclusiveLock class=metadata
-- expect: findings=- suppressed=drop-table tx
DROP TABLE legacy_import;

-- pgdeck:ignore add-column-rewrite
-- pgdeck:ignore prefer-identity
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=- suppressed=add-column-rewrite,prefer-identity tx
ALTER TABLE orders ADD COLUMN line_no serial;

-- pgdeck:ignore type-change-rewrite
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=- suppressed=type-change-rewrite tx
ALTER TABLE orders ALTER COLUMN note TYPE varchar(1000);

-- A suppression applies to its own statement, not to the next one.
-- expect: lock=sessions:RowExclusiveLock write=sessions class=dml
-- expect: findings=unbatched-backfill suppressed=- tx
DELETE FROM sessions;

-- pgdeck:ignore unbatched-backfill
-- expect: lock=audit_log:RowExclusiveLock write=audit_log class=dml
-- expect: findings=- suppressed=unbatched-backfill tx
DELETE FROM audit_log;
