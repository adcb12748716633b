-- A versioned migration that mixes a statement that needs a transaction
-- with one that cannot run in one: Flyway refuses it (unless mixed=true,
-- and then none of it runs in a transaction).

-- expect: lock=customers:AccessExclusiveLock class=metadata
-- expect: findings=lock-timeout-missing tx
ALTER TABLE customers ADD COLUMN churned_at timestamptz;

-- expect: lock=customers:ShareUpdateExclusiveLock build=customers class=index
-- expect: findings=flyway-mixed notx
CREATE INDEX CONCURRENTLY customers_churned_at_idx ON customers (churned_at);
