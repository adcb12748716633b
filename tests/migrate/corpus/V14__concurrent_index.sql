-- Only statements that cannot run in a transaction block: Flyway runs the
-- file without one, as it should.  SHARE UPDATE EXCLUSIVE is below SHARE,
-- so no lock_timeout is asked for.

-- expect: lock=orders:ShareUpdateExclusiveLock build=orders class=index
-- expect: findings=- notx
CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);

-- expect: lock=orders_status_placed_idx:ShareUpdateExclusiveLock,orders:ShareUpdateExclusiveLock
-- expect: class=metadata findings=- notx
DROP INDEX CONCURRENTLY orders_status_placed_idx;
