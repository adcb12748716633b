-- timestamp <-> timestamptz is rewrite-free only when the session
-- TimeZone is UTC (PostgreSQL 12 and later): the stored values are then
-- the same.  An index on the column is rebuilt either way: its operator
-- class changes with the type.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- The session TimeZone is not known here (the server's default): it may
-- rewrite.
-- expect: lock=products:AccessExclusiveLock scan=- build=-
-- expect: findings=timestamptz-timezone,type-change-rewrite tx
ALTER TABLE products ALTER COLUMN created_at TYPE timestamptz;

-- expect: lock=- class=none findings=- tx
SET TIME ZONE 'UTC';

-- No rewrite, but orders_status_placed_idx (status, placed_at) is rebuilt.
-- expect: lock=orders:AccessExclusiveLock rewrite=- build=orders
-- expect: findings=- tx
ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamp with time zone;

-- expect: lock=- class=none findings=- tx
SET timezone = 'Europe/Paris';

-- expect: lock=customers:AccessExclusiveLock rewrite=customers class=rewrite
-- expect: findings=timestamptz-timezone,type-change-rewrite tx
ALTER TABLE customers ALTER COLUMN signup_at TYPE timestamptz;

-- timestamptz -> timestamp: the same rule the other way round.
-- expect: lock=- class=none findings=- tx
SET TimeZone TO 'UTC';

-- expect: lock=orders:AccessExclusiveLock rewrite=- build=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ALTER COLUMN shipped_at TYPE timestamp;
