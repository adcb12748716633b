-- Indexes: a plain CREATE INDEX holds SHARE on the table for the whole
-- build (writes wait); CONCURRENTLY holds SHARE UPDATE EXCLUSIVE and cannot
-- run in a transaction block.  DROP INDEX takes ACCESS EXCLUSIVE on the
-- index and its table; REINDEX blocks writes to the table and every read
-- that would plan with the index.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=orders:ShareLock build=orders rewrite=- scan=- class=index
-- expect: findings=index-not-concurrent tx
CREATE INDEX orders_placed_at_idx ON orders (placed_at);

-- expect: lock=orders:ShareUpdateExclusiveLock build=orders rewrite=- scan=-
-- expect: class=index findings=- notx
CREATE INDEX CONCURRENTLY orders_shipped_at_idx ON orders (shipped_at);

-- A partial unique index is still a full build.
-- expect: lock=customers:ShareLock build=customers class=index
-- expect: findings=index-not-concurrent tx
CREATE UNIQUE INDEX customers_phone_key ON customers (phone)
	WHERE phone IS NOT NULL;

-- expect: lock=customers:ShareUpdateExclusiveLock build=customers class=index
-- expect: findings=- notx
CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_lower_email_idx
	ON customers (lower(email));

-- An unnamed expression index, schema-qualified table.
-- expect: lock=public.products:ShareLock build=products class=index
-- expect: findings=index-not-concurrent tx
CREATE INDEX ON public.products USING gin (to_tsvector('english', title));

-- expect: lock=products:ShareUpdateExclusiveLock build=products class=index
-- expect: findings=- notx
CREATE UNIQUE INDEX CONCURRENTLY products_legacy_code_key
	ON products (legacy_code);

-- The catalog knows which table the index belongs to.
-- expect: lock=audit_log_logged_at_idx:AccessExclusiveLock,audit_log:AccessExclusiveLock
-- expect: rewrite=- scan=- build=- class=metadata
-- expect: findings=drop-index-not-concurrent tx
DROP INDEX audit_log_logged_at_idx;

-- expect: lock=sessions_expires_at_idx:ShareUpdateExclusiveLock,sessions:ShareUpdateExclusiveLock
-- expect: class=metadata findings=- notx
DROP INDEX CONCURRENTLY IF EXISTS sessions_expires_at_idx;

-- expect: lock=customers:ShareLock,customers_country_idx:AccessExclusiveLock
-- expect: build=customers rewrite=- class=index
-- expect: findings=reindex-not-concurrent tx
REINDEX INDEX customers_country_idx;

-- expect: lock=orders:ShareUpdateExclusiveLock,orders_customer_id_idx:ShareUpdateExclusiveLock
-- expect: build=orders class=index findings=- notx
REINDEX INDEX CONCURRENTLY orders_customer_id_idx;

-- REINDEX TABLE: SHARE on the table, ACCESS EXCLUSIVE on each index.
-- expect: lock=warehouses:ShareLock,warehouses_pkey:AccessExclusiveLock
-- expect: build=warehouses class=index findings=reindex-not-concurrent tx
REINDEX TABLE warehouses;

-- expect: lock=sessions:ShareUpdateExclusiveLock,sessions_pkey:ShareUpdateExclusiveLock
-- expect: build=sessions class=index findings=- notx
REINDEX TABLE CONCURRENTLY sessions;

-- expect: lock=customers_country_idx:ShareUpdateExclusiveLock
-- expect: class=metadata findings=- tx
ALTER INDEX customers_country_idx RENAME TO customers_country_code_idx;

-- The renamed index is still known, under its new name.
-- expect: lock=customers_country_code_idx:ShareUpdateExclusiveLock,customers:ShareUpdateExclusiveLock
-- expect: class=metadata findings=- notx
DROP INDEX CONCURRENTLY customers_country_code_idx;
