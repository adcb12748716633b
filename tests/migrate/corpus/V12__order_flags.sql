-- Flyway runs a versioned migration in one transaction: every lock is
-- held until the file ends.

-- expect: lock=- class=none findings=- tx in-tx
SET lock_timeout = '5s';

-- expect: lock=orders:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx in-tx
ALTER TABLE orders ADD COLUMN gift boolean NOT NULL DEFAULT false;

-- expect: lock=orders:AccessExclusiveLock class=metadata
-- expect: findings=access-exclusive-held tx in-tx
ALTER TABLE orders ADD COLUMN gift_note text;

-- expect: lock=orders:ShareLock build=orders class=index
-- expect: findings=index-not-concurrent,access-exclusive-held tx in-tx
CREATE INDEX orders_gift_idx ON orders (id) WHERE gift;
