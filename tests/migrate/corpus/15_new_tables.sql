-- Tables created in this set are new and empty: no danger in building
-- their indexes or constraints the plain way.  Their column types still
-- get the informational advice, and a foreign key to an existing table
-- still locks it.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=customers:ShareRowExclusiveLock rewrite=- scan=- build=-
-- expect: class=metadata tx
-- expect: findings=prefer-identity,prefer-bigint,prefer-text,prefer-jsonb,prefer-timestamptz,ban-char,fk-without-index
CREATE TABLE coupons (
	id serial PRIMARY KEY,
	code varchar(32) NOT NULL UNIQUE,
	customer_id integer REFERENCES customers (id),
	rules json,
	valid_from timestamp,
	currency char(3),
	note text
);

-- expect: lock=coupons:ShareLock build=coupons class=index findings=- tx
CREATE INDEX coupons_valid_from_idx ON coupons (valid_from);

-- A NOT NULL column is checked by reading the table: empty here.
-- expect: lock=coupons:AccessExclusiveLock rewrite=- class=scan
-- expect: findings=- tx
ALTER TABLE coupons ADD COLUMN max_uses bigint NOT NULL;

-- expect: lock=coupons:AccessExclusiveLock class=scan findings=- tx
ALTER TABLE coupons ADD CONSTRAINT coupons_max_uses_positive
	CHECK (max_uses > 0);

-- expect: lock=coupons:AccessExclusiveLock findings=- tx
ALTER TABLE coupons ALTER COLUMN valid_from SET NOT NULL;

-- expect: lock=coupons:AccessExclusiveLock findings=- tx
ALTER TABLE coupons ALTER COLUMN id TYPE bigint;

-- expect: lock=coupons:RowExclusiveLock write=coupons class=dml
-- expect: findings=- tx
UPDATE coupons SET note = 'none';

-- order_id is only the second column of the primary key.
-- expect: lock=coupons:ShareRowExclusiveLock,orders:ShareRowExclusiveLock
-- expect: class=metadata findings=fk-without-index tx
CREATE TABLE coupon_redemptions (
	coupon_id bigint NOT NULL REFERENCES coupons (id),
	order_id bigint NOT NULL REFERENCES orders (id),
	redeemed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (coupon_id, order_id)
);

-- The same column again: still only second in the primary key.
-- expect: lock=coupon_redemptions:ShareRowExclusiveLock,orders:ShareRowExclusiveLock
-- expect: findings=fk-without-index tx
ALTER TABLE coupon_redemptions ADD FOREIGN KEY (order_id)
	REFERENCES orders (id) ON DELETE CASCADE NOT VALID;

-- LIKE reads the definition of the table it copies.
-- expect: lock=orders:AccessShareLock rewrite=- findings=- tx
CREATE TABLE orders_archive (LIKE orders INCLUDING ALL);

-- expect: lock=orders:AccessShareLock findings=- tx
CREATE TABLE customer_totals AS
	SELECT customer_id, sum(total) AS total FROM orders GROUP BY 1;

-- expect: lock=orders:AccessShareLock findings=- tx
CREATE VIEW recent_orders AS
	SELECT id, placed_at FROM orders
	WHERE placed_at > now() - interval '7 days';

-- expect: lock=- class=metadata findings=- tx
CREATE SEQUENCE coupon_code_seq;

-- expect: lock=- class=metadata findings=- tx
CREATE SCHEMA IF NOT EXISTS reporting;

-- expect: lock=- class=metadata
-- expect: findings=prefer-identity,prefer-bigint,prefer-jsonb tx
CREATE UNLOGGED TABLE reporting.import_batches (
	id bigserial PRIMARY KEY,
	batch_no smallint NOT NULL,
	source_id int,
	meta json
);

-- expect: lock=reporting.import_batches:AccessExclusiveLock findings=- tx
DROP TABLE reporting.import_batches;
