-- No SET lock_timeout in this file: the first statement that takes SHARE
-- or stronger on an existing table is told; weaker locks are not, and
-- neither is any later statement.

-- expect: lock=- class=none findings=- tx
SET statement_timeout = '30s';

-- expect: lock=customers:AccessShareLock findings=- tx
SELECT count(*) FROM customers;

-- expect: lock=customers:RowExclusiveLock write=customers findings=- tx
UPDATE customers SET notes = NULL WHERE id = 1;

-- SHARE UPDATE EXCLUSIVE is below SHARE.
-- expect: lock=orders:ShareUpdateExclusiveLock class=metadata findings=- tx
ALTER TABLE orders SET (fillfactor = 80);

-- expect: lock=orders:AccessExclusiveLock class=metadata
-- expect: findings=lock-timeout-missing tx
ALTER TABLE orders ADD COLUMN x text;

-- expect: lock=orders:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE orders ADD COLUMN y text;

-- expect: lock=products:ShareLock build=products class=index
-- expect: findings=index-not-concurrent tx
CREATE INDEX products_price_idx ON products (price);
