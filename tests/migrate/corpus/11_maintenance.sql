-- Storage and maintenance: statistics targets, storage parameters and
-- trigger switches take weaker locks than ACCESS EXCLUSIVE; VACUUM FULL,
-- CLUSTER, SET LOGGED/UNLOGGED and SET TABLESPACE copy the whole table.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=orders:ShareUpdateExclusiveLock rewrite=- scan=-
-- expect: class=metadata findings=- tx
ALTER TABLE orders ALTER COLUMN status SET STATISTICS 500;

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders ALTER COLUMN customer_id SET (n_distinct = -0.1);

-- expect: lock=orders:ShareUpdateExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders SET (fillfactor = 90);

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.01,
	autovacuum_analyze_scale_factor = 0.02);

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders RESET (autovacuum_analyze_scale_factor);

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders CLUSTER ON orders_pkey;

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders SET WITHOUT CLUSTER;

-- The function body holds semicolons inside a dollar quote.
-- expect: lock=- class=metadata findings=- tx
CREATE FUNCTION audit_orders() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO audit_log (id, user_id, action, logged_at)
	VALUES (NEW.id, NEW.customer_id, 'order ' || TG_OP, now());
	RETURN NEW;
END;
$$;

-- expect: lock=orders:ShareRowExclusiveLock class=metadata findings=- tx
CREATE TRIGGER orders_audit AFTER UPDATE ON orders
	FOR EACH ROW EXECUTE FUNCTION audit_orders();

-- expect: lock=orders:ShareRowExclusiveLock class=metadata findings=- tx
ALTER TABLE orders DISABLE TRIGGER orders_audit;

-- expect: lock=orders:ShareRowExclusiveLock class=metadata findings=- tx
ALTER TABLE orders ENABLE TRIGGER orders_audit;

-- expect: lock=orders:AccessExclusiveLock class=metadata findings=- tx
DROP TRIGGER orders_audit ON orders;

-- expect: lock=legacy_import:AccessExclusiveLock rewrite=legacy_import
-- expect: class=rewrite findings=- tx
ALTER TABLE legacy_import SET UNLOGGED;

-- expect: lock=legacy_import:AccessExclusiveLock rewrite=legacy_import
-- expect: class=rewrite findings=- tx
ALTER TABLE legacy_import SET LOGGED;

-- expect: lock=audit_log:AccessExclusiveLock rewrite=audit_log
-- expect: class=rewrite findings=- tx
ALTER TABLE audit_log SET TABLESPACE archive_space;

-- expect: lock=orders:ShareUpdateExclusiveLock rewrite=- findings=- notx
VACUUM orders;

-- expect: lock=customers:ShareUpdateExclusiveLock rewrite=- findings=- notx
VACUUM (ANALYZE, VERBOSE) customers;

-- ANALYZE alone may run in a transaction block.
-- expect: lock=orders:ShareUpdateExclusiveLock rewrite=- findings=- tx
ANALYZE orders;

-- expect: lock=sessions:AccessExclusiveLock rewrite=sessions class=rewrite
-- expect: findings=full-rewrite notx
VACUUM FULL sessions;

-- CLUSTER of one table may run in a transaction block.
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=full-rewrite tx
CLUSTER orders USING orders_pkey;

-- The refresh runs its query: the source table is read.
-- expect: lock=order_totals:AccessExclusiveLock,orders:AccessShareLock
-- expect: findings=refresh-not-concurrent tx
REFRESH MATERIALIZED VIEW order_totals;

-- CONCURRENTLY needs a unique index (order_totals_customer_id_idx) and,
-- unlike CREATE INDEX CONCURRENTLY, may run in a transaction block.
-- expect: lock=order_totals:ExclusiveLock,orders:AccessShareLock
-- expect: findings=- tx
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;

-- COMMENT ON takes SHARE UPDATE EXCLUSIVE on the table it describes and
-- changes the catalog alone (pg_description): class metadata, as
-- migrate.h defines it ("catalog only"), not none (no relation work).
-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
COMMENT ON TABLE orders IS 'one row per order';

-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
COMMENT ON COLUMN orders.note IS 'free text from the customer';
