-- ADD COLUMN: catalog-only (PostgreSQL 11 and later) for NULL or a
-- non-volatile default; a rewrite for a volatile default, serial,
-- identity and stored generated columns.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=customers:AccessExclusiveLock rewrite=- scan=- build=-
-- expect: class=metadata findings=- tx
ALTER TABLE customers ADD COLUMN nickname text;

-- A constant default is stored once in the catalog.
-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE customers ADD COLUMN is_vip boolean NOT NULL DEFAULT false;

-- now() is stable, not volatile: evaluated once, no rewrite.
-- expect: lock=orders:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=volatile-default tx
ALTER TABLE orders ADD COLUMN sample_bucket double precision DEFAULT random();

-- expect: lock=audit_log:AccessExclusiveLock rewrite=audit_log class=rewrite
-- expect: findings=volatile-default tx
ALTER TABLE audit_log ADD COLUMN inserted_at timestamptz
	DEFAULT clock_timestamp();

-- expect: lock=customers:AccessExclusiveLock rewrite=customers class=rewrite
-- expect: findings=volatile-default tx
ALTER TABLE customers ADD COLUMN public_id uuid NOT NULL
	DEFAULT gen_random_uuid();

-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=volatile-default tx
ALTER TABLE orders ADD COLUMN invoice_no bigint
	DEFAULT nextval('invoice_seq');

-- expect: lock=products:AccessExclusiveLock rewrite=products class=rewrite
-- expect: findings=add-column-rewrite,prefer-identity tx
ALTER TABLE products ADD COLUMN position serial;

-- expect: lock=warehouses:AccessExclusiveLock rewrite=warehouses
-- expect: class=rewrite findings=add-column-rewrite,prefer-identity tx
ALTER TABLE warehouses ADD COLUMN seq bigserial;

-- expect: lock=sessions:AccessExclusiveLock rewrite=sessions class=rewrite
-- expect: findings=add-column-rewrite tx
ALTER TABLE sessions ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;

-- expect: lock=order_items:AccessExclusiveLock rewrite=order_items
-- expect: class=rewrite findings=add-column-rewrite tx
ALTER TABLE order_items ADD COLUMN line_total numeric(14,2)
	GENERATED ALWAYS AS (qty * unit_price) STORED;

-- Fails on any table with rows ("column contains null values"), after
-- a scan that looks for them.
-- expect: lock=products:AccessExclusiveLock rewrite=- scan=products
-- expect: findings=required-column tx
ALTER TABLE products ADD COLUMN vendor_ref text NOT NULL;

-- expect: lock=products:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE products ADD COLUMN vendor_code text NOT NULL DEFAULT '';

-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=prefer-jsonb tx
ALTER TABLE customers ADD COLUMN settings json;

-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=prefer-text tx
ALTER TABLE customers ADD COLUMN referral_code varchar(16);

-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=prefer-timestamptz tx
ALTER TABLE customers ADD COLUMN last_seen timestamp;

-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=ban-char tx
ALTER TABLE customers ADD COLUMN region char(2);

-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=prefer-bigint tx
ALTER TABLE customers ADD COLUMN account_manager_id integer;

-- smallint, but not a key column.
-- expect: lock=orders:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ADD COLUMN discount_pct smallint DEFAULT 0;

-- A new column with REFERENCES and no default: every value is NULL, so
-- PostgreSQL marks the foreign key valid without reading the table.
-- expect: lock=products:AccessExclusiveLock,warehouses:ShareRowExclusiveLock
-- expect: scan=- rewrite=- class=metadata
-- expect: findings=fk-without-index,prefer-bigint tx
ALTER TABLE products ADD COLUMN warehouse_id integer
	REFERENCES warehouses (id);

-- expect: lock=sessions:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE sessions ADD COLUMN user_agent text, ADD COLUMN ip inet;

-- expect: lock=sessions:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE IF EXISTS sessions ADD COLUMN IF NOT EXISTS user_agent text;
