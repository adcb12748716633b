-- Renames break the application version still running; drops lose data.
-- Both are catalog-only under ACCESS EXCLUSIVE.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- expect: lock=customers:AccessExclusiveLock rewrite=- scan=-
-- expect: class=metadata findings=rename-column tx
ALTER TABLE customers RENAME COLUMN phone TO phone_number;

-- expect: lock=legacy_import:AccessExclusiveLock class=metadata
-- expect: findings=rename-table tx
ALTER TABLE legacy_import RENAME TO legacy_import_old;

-- expect: lock=sessions:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=drop-column tx
ALTER TABLE sessions DROP COLUMN token;

-- expect: lock=orders:AccessExclusiveLock class=metadata
-- expect: findings=drop-column tx
ALTER TABLE IF EXISTS orders DROP COLUMN IF EXISTS coupon_code;

-- The table renamed above, under its new name.
-- expect: lock=legacy_import_old:AccessExclusiveLock class=metadata
-- expect: findings=drop-table tx
DROP TABLE legacy_import_old;

-- TRUNCATE ... CASCADE empties every table that references it, and the
-- ones referencing those.
-- expect: lock=customers:AccessExclusiveLock,orders:AccessExclusiveLock,order_items:AccessExclusiveLock
-- expect: rewrite=- scan=- findings=truncate-cascade tx
TRUNCATE customers CASCADE;

-- expect: lock=audit_log:AccessExclusiveLock rewrite=- findings=- tx
TRUNCATE TABLE audit_log;

-- Dropping a table with a foreign key also locks the table it references.
-- expect: lock=order_items:AccessExclusiveLock,orders:AccessExclusiveLock
-- expect: class=metadata findings=drop-table tx
DROP TABLE order_items;

-- expect: lock=active_customers:AccessExclusiveLock class=metadata
-- expect: findings=- tx
DROP VIEW active_customers;

-- expect: lock=- findings=drop-database notx
DROP DATABASE legacy;

-- expect: lock=products:AccessExclusiveLock class=metadata
-- expect: findings=rename-column tx
ALTER TABLE products RENAME title TO name;

-- expect: lock=warehouses:AccessExclusiveLock class=metadata
-- expect: findings=- tx
ALTER TABLE warehouses RENAME CONSTRAINT warehouses_pkey TO warehouses_id_pkey;
