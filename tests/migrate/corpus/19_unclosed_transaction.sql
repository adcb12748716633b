-- A file that ends inside BEGIN: psql ends the session and the server
-- rolls the transaction back, so nothing in it is kept.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=customers:AccessExclusiveLock class=metadata findings=- tx in-tx
ALTER TABLE customers ADD COLUMN loyalty_points bigint;

-- expect: lock=customers:RowExclusiveLock write=customers class=dml in-tx
-- expect: findings=access-exclusive-held,unclosed-transaction tx
UPDATE customers SET loyalty_points = 0 WHERE id <= 1000;
