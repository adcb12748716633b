-- SET NOT NULL scans the table under ACCESS EXCLUSIVE, unless a validated
-- CHECK (col IS NOT NULL) already proves it (PostgreSQL 12 and later).

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=customers:AccessExclusiveLock scan=customers rewrite=-
-- expect: class=scan findings=set-not-null tx
ALTER TABLE customers ALTER COLUMN name SET NOT NULL;

-- audit_log_user_id_not_null is a validated CHECK (user_id IS NOT NULL).
-- expect: lock=audit_log:AccessExclusiveLock scan=- rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE audit_log ALTER COLUMN user_id SET NOT NULL;

-- audit_log_action_not_null is NOT VALID: it proves nothing.
-- expect: lock=audit_log:AccessExclusiveLock scan=audit_log class=scan
-- expect: findings=set-not-null tx
ALTER TABLE audit_log ALTER COLUMN action SET NOT NULL;

-- The safe sequence: CHECK NOT VALID, VALIDATE, SET NOT NULL, drop CHECK.
-- expect: lock=sessions:AccessExclusiveLock scan=- class=metadata findings=- tx
ALTER TABLE sessions ADD CONSTRAINT sessions_expires_at_not_null
	CHECK (expires_at IS NOT NULL) NOT VALID;

-- expect: lock=sessions:ShareUpdateExclusiveLock scan=sessions class=scan
-- expect: findings=- tx
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_expires_at_not_null;

-- expect: lock=sessions:AccessExclusiveLock scan=- class=metadata findings=- tx
ALTER TABLE sessions ALTER COLUMN expires_at SET NOT NULL;

-- expect: lock=sessions:AccessExclusiveLock scan=- class=metadata findings=- tx
ALTER TABLE sessions DROP CONSTRAINT sessions_expires_at_not_null;

-- The validate in the SAME transaction as the NOT VALID add gains nothing.
-- expect: lock=- class=none findings=- tx
BEGIN;

-- expect: lock=warehouses:AccessExclusiveLock scan=- class=metadata
-- expect: findings=- tx
ALTER TABLE warehouses ADD CONSTRAINT warehouses_city_not_null
	CHECK (city IS NOT NULL) NOT VALID;

-- expect: lock=warehouses:ShareUpdateExclusiveLock scan=warehouses class=scan
-- expect: findings=validate-same-transaction,access-exclusive-held tx
ALTER TABLE warehouses VALIDATE CONSTRAINT warehouses_city_not_null;

-- expect: lock=- class=none findings=- tx
COMMIT;

-- expect: lock=orders:AccessExclusiveLock scan=- rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;

-- expect: lock=orders:AccessExclusiveLock scan=- rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'EUR';

-- expect: lock=orders:AccessExclusiveLock scan=- rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
