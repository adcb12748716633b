-- Constraints on existing tables: a valid CHECK or FOREIGN KEY reads the
-- whole table under its lock; NOT VALID then VALIDATE (SHARE UPDATE
-- EXCLUSIVE) does not block writes.  Foreign keys lock both tables,
-- and validating one reads both.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- warehouse_id is only the second column of orders_status_warehouse_idx,
-- which does not support the foreign key.
-- expect: lock=orders:ShareRowExclusiveLock,warehouses:ShareRowExclusiveLock
-- expect: scan=orders,warehouses rewrite=- build=- class=fk
-- expect: findings=constraint-not-valid,fk-without-index tx
ALTER TABLE orders ADD CONSTRAINT orders_warehouse_id_fkey
	FOREIGN KEY (warehouse_id) REFERENCES warehouses (id);

-- product_id is the second column of order_items_pkey: no support either.
-- expect: lock=order_items:ShareRowExclusiveLock,products:ShareRowExclusiveLock
-- expect: scan=- rewrite=- class=metadata findings=fk-without-index tx
ALTER TABLE order_items ADD CONSTRAINT order_items_product_id_fkey
	FOREIGN KEY (product_id) REFERENCES products (id) NOT VALID;

-- expect: lock=order_items:ShareUpdateExclusiveLock,products:RowShareLock
-- expect: scan=order_items,products class=fk findings=- tx
ALTER TABLE order_items VALIDATE CONSTRAINT order_items_product_id_fkey;

-- An index built earlier in the set supports the next foreign key.
-- expect: lock=sessions:ShareUpdateExclusiveLock build=sessions class=index
-- expect: findings=- notx
CREATE INDEX CONCURRENTLY sessions_customer_id_idx ON sessions (customer_id);

-- expect: lock=sessions:ShareRowExclusiveLock,customers:ShareRowExclusiveLock
-- expect: scan=- class=metadata findings=- tx
ALTER TABLE sessions ADD CONSTRAINT sessions_customer_id_fkey
	FOREIGN KEY (customer_id) REFERENCES customers (id)
	ON DELETE CASCADE NOT VALID;

-- expect: lock=sessions:ShareUpdateExclusiveLock,customers:RowShareLock
-- expect: scan=sessions,customers class=fk findings=- tx
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_customer_id_fkey;

-- No index on audit_log.user_id at all.
-- expect: lock=audit_log:ShareRowExclusiveLock,customers:ShareRowExclusiveLock
-- expect: scan=- class=metadata findings=fk-without-index tx
ALTER TABLE audit_log ADD CONSTRAINT audit_log_user_id_fkey
	FOREIGN KEY (user_id) REFERENCES customers (id) NOT VALID;

-- expect: lock=products:AccessExclusiveLock scan=products rewrite=-
-- expect: class=scan findings=constraint-not-valid tx
ALTER TABLE products ADD CONSTRAINT products_price_positive
	CHECK (price > 0);

-- expect: lock=products:AccessExclusiveLock scan=- class=metadata
-- expect: findings=- tx
ALTER TABLE products ADD CONSTRAINT products_weight_positive
	CHECK (weight_g > 0) NOT VALID;

-- expect: lock=products:ShareUpdateExclusiveLock scan=products class=scan
-- expect: findings=- tx
ALTER TABLE products VALIDATE CONSTRAINT products_weight_positive;

-- ADD UNIQUE builds its index under ACCESS EXCLUSIVE.
-- expect: lock=warehouses:AccessExclusiveLock build=warehouses scan=-
-- expect: rewrite=- class=index findings=unique-without-index tx
ALTER TABLE warehouses ADD CONSTRAINT warehouses_name_key UNIQUE (name);

-- The safe way: the index was built CONCURRENTLY beforehand.
-- expect: lock=products:ShareUpdateExclusiveLock build=products class=index
-- expect: findings=- notx
CREATE UNIQUE INDEX CONCURRENTLY products_title_key ON products (title);

-- expect: lock=products:AccessExclusiveLock build=- scan=- class=metadata
-- expect: findings=- tx
ALTER TABLE products ADD CONSTRAINT products_title_key
	UNIQUE USING INDEX products_title_key;

-- import_id is nullable: the primary key also sets NOT NULL, a full scan.
-- expect: lock=legacy_import:AccessExclusiveLock build=legacy_import
-- expect: scan=legacy_import class=index findings=unique-without-index tx
ALTER TABLE legacy_import ADD PRIMARY KEY (import_id);

-- expect: lock=sessions:AccessExclusiveLock build=sessions class=index
-- expect: findings=exclusion-constraint tx
ALTER TABLE sessions ADD CONSTRAINT sessions_token_excl
	EXCLUDE USING btree (token WITH =);

-- Dropping a foreign key also locks the referenced table.
-- expect: lock=orders:AccessExclusiveLock,customers:AccessExclusiveLock
-- expect: scan=- class=metadata findings=- tx
ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;

-- expect: lock=products:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE products DROP CONSTRAINT IF EXISTS products_price_positive;
