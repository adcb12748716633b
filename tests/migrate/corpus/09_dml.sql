-- Data changes: ROW EXCLUSIVE on what is written, ACCESS SHARE on what is
-- only read.  An UPDATE or DELETE of a whole table is one long transaction
-- holding every row lock it takes: batch it.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=customers:RowExclusiveLock write=customers rewrite=-
-- expect: class=dml findings=unbatched-backfill tx
UPDATE customers SET country = 'FR';

-- expect: lock=customers:RowExclusiveLock write=customers class=dml
-- expect: findings=- tx
UPDATE customers SET country = 'DE' WHERE id BETWEEN 1 AND 10000;

-- expect: lock=sessions:RowExclusiveLock write=sessions class=dml
-- expect: findings=unbatched-backfill tx
DELETE FROM sessions;

-- expect: lock=sessions:RowExclusiveLock write=sessions class=dml
-- expect: findings=- tx
DELETE FROM sessions WHERE expires_at < now() - interval '90 days';

-- expect: lock=warehouses:RowExclusiveLock write=warehouses class=dml
-- expect: findings=- tx
INSERT INTO warehouses (id, name, city) VALUES (100, 'Lyon', 'Lyon');

-- The table read from is locked ACCESS SHARE.
-- expect: lock=audit_log:RowExclusiveLock,customers:AccessShareLock
-- expect: write=audit_log class=dml findings=- tx
INSERT INTO audit_log (id, user_id, action, logged_at)
	SELECT id + 1000, id, 'import', now() FROM customers;

-- expect: lock=orders:RowExclusiveLock,customers:AccessShareLock
-- expect: write=orders class=dml findings=- tx
UPDATE orders o SET currency = 'EUR'
	FROM customers c
	WHERE c.id = o.customer_id AND c.country = 'FR';

-- A data-modifying CTE writes two tables.
-- expect: lock=audit_log:RowExclusiveLock,legacy_import:RowExclusiveLock
-- expect: write=audit_log,legacy_import class=dml findings=- tx
WITH moved AS (
	DELETE FROM audit_log WHERE logged_at < '2020-01-01' RETURNING payload
)
INSERT INTO legacy_import (raw) SELECT payload::text FROM moved;

-- expect: lock=warehouses:RowExclusiveLock write=warehouses class=dml
-- expect: findings=- tx
MERGE INTO warehouses w
USING (VALUES (1, 'Paris')) AS v (id, city) ON w.id = v.id
WHEN MATCHED THEN UPDATE SET city = v.city
WHEN NOT MATCHED THEN INSERT (id, name, city) VALUES (v.id, v.city, v.city);

-- expect: lock=orders:AccessShareLock write=- findings=- tx
SELECT count(*) FROM orders;

-- A subquery in WHERE: the other table is only read.
-- expect: lock=order_items:RowExclusiveLock,orders:AccessShareLock
-- expect: write=order_items class=dml findings=- tx
DELETE FROM order_items
	WHERE order_id IN (SELECT id FROM orders WHERE status = 'cancelled');

-- expect: lock=products:RowExclusiveLock write=products class=dml
-- expect: findings=unbatched-backfill tx
UPDATE ONLY products SET title = initcap(title);
