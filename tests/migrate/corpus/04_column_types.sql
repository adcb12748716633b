-- ALTER COLUMN TYPE: ACCESS EXCLUSIVE always; a rewrite of the table and
-- its indexes unless the change is binary-coercible.  A view or
-- materialized view that uses the column makes it fail outright.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- Widening a varchar: binary-coercible, no rewrite.
-- expect: lock=customers:AccessExclusiveLock rewrite=- scan=- build=-
-- expect: class=metadata findings=- tx
ALTER TABLE customers ALTER COLUMN phone TYPE varchar(40);

-- active_customers selects customers.name.
-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=type-change-dependent-view tx
ALTER TABLE customers ALTER COLUMN name TYPE varchar(200);

-- ... and filters on customers.balance.
-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=type-change-dependent-view tx
ALTER TABLE customers ALTER COLUMN balance TYPE numeric;

-- varchar(n) -> text: binary-coercible, the unique index is kept.
-- expect: lock=products:AccessExclusiveLock rewrite=- build=- class=metadata
-- expect: findings=- tx
ALTER TABLE products ALTER COLUMN sku TYPE text;

-- numeric(10,2) -> numeric(12,2): same scale, more precision: no rewrite.
-- expect: lock=products:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE products ALTER COLUMN price SET DATA TYPE numeric(12,2);

-- cidr -> inet: binary-coercible.
-- expect: lock=customers:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE customers ALTER COLUMN ip_range TYPE inet;

-- int -> bigint rewrites.
-- expect: lock=customers:AccessExclusiveLock rewrite=customers class=rewrite
-- expect: findings=type-change-rewrite tx
ALTER TABLE customers ALTER COLUMN score TYPE bigint;

-- A new scale rewrites.
-- expect: lock=order_items:AccessExclusiveLock rewrite=order_items
-- expect: class=rewrite findings=type-change-rewrite tx
ALTER TABLE order_items ALTER COLUMN unit_price TYPE numeric(10,3);

-- Shrinking a varchar rewrites (every value is checked and copied).
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=type-change-rewrite tx
ALTER TABLE orders ALTER COLUMN coupon_code TYPE varchar(20);

-- text -> varchar(n) rewrites too.
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=type-change-rewrite tx
ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);

-- text -> integer with USING.
-- expect: lock=products:AccessExclusiveLock rewrite=products class=rewrite
-- expect: findings=type-change-rewrite tx
ALTER TABLE products ALTER COLUMN legacy_code TYPE integer
	USING legacy_code::integer;

-- enum -> text rewrites, and its two indexes with it.
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=type-change-rewrite tx
ALTER TABLE orders ALTER COLUMN status TYPE text;

-- orders.total is used by the materialized view order_totals.
-- expect: lock=orders:AccessExclusiveLock rewrite=orders class=rewrite
-- expect: findings=type-change-rewrite,type-change-dependent-view tx
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);

-- Two subcommands, one rewrite.
-- expect: lock=warehouses:AccessExclusiveLock rewrite=warehouses
-- expect: class=rewrite findings=type-change-rewrite tx
ALTER TABLE warehouses ALTER COLUMN id TYPE bigint,
	ALTER COLUMN city SET DEFAULT 'unknown';
