-- A repeatable migration: re-run whenever it changes, in one transaction.

-- expect: lock=- class=none findings=- tx in-tx
SET lock_timeout = '5s';

-- Replacing a view locks it ACCESS EXCLUSIVE (readers wait) and reads
-- the tables its query names.
-- expect: lock=active_customers:AccessExclusiveLock,customers:AccessShareLock
-- expect: rewrite=- findings=- tx in-tx
CREATE OR REPLACE VIEW active_customers AS
	SELECT id, email, name FROM customers WHERE balance >= 0;

-- expect: lock=orders:AccessShareLock rewrite=-
-- expect: findings=access-exclusive-held tx in-tx
CREATE OR REPLACE VIEW big_orders AS
	SELECT id, customer_id, total FROM orders WHERE total > 1000;
