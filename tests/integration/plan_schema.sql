-- plan_schema.sql - tables that make the PostgreSQL 15 planner produce
-- every plan shape of tests/integration/plan_shapes.sql.
--
-- Run it in an empty database of its own (capture.sh and test_plan_live
-- use 'pgdeck_plan').  Statements end with ';' at the end of a line;
-- function bodies are dollar-quoted.  It builds in a few seconds.
--
-- Autovacuum is off on every table so that statistics and the
-- visibility map stay exactly as this file leaves them: plans do not
-- change between runs, and 'ios' keeps pages that are not all-visible
-- (heap fetches on an index-only scan).

-- Customers: 10,000.  The hashed side of the multi-batch hash join.
CREATE TABLE customers (
	id	int PRIMARY KEY,
	name	text NOT NULL,
	tier	int NOT NULL
) WITH (autovacuum_enabled = off);
INSERT INTO customers
SELECT g, 'customer ' || g, g % 5
FROM generate_series(1, 10000) g;

-- Orders: 200,000.  city determines country (city % 50): a filter on
-- both is estimated as if they were independent, 50x too low.
CREATE TABLE orders (
	id		int PRIMARY KEY,
	customer_id	int NOT NULL,
	status		text NOT NULL,
	created		date NOT NULL,
	amount		numeric(10,2) NOT NULL,
	city		int NOT NULL,
	country		int NOT NULL,
	note		text
) WITH (autovacuum_enabled = off);
INSERT INTO orders
SELECT g, 1 + (g * 37) % 10000,
       (ARRAY['new', 'paid', 'shipped', 'done'])[1 + g % 4],
       date '2023-01-01' + (g % 730),
       ((g * 7919) % 100000) / 100.0,
       (g * 31) % 1000, ((g * 31) % 1000) % 50,
       md5(g::text)
FROM generate_series(1, 200000) g;
CREATE INDEX orders_customer_id ON orders (customer_id);
CREATE INDEX orders_created ON orders (created);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
	FOREIGN KEY (customer_id) REFERENCES customers (id);

-- Products: 1,000; lines point at them with many repeats (Memoize).
CREATE TABLE products (
	id	int PRIMARY KEY,
	name	text NOT NULL,
	price	numeric(10,2) NOT NULL
) WITH (autovacuum_enabled = off);
INSERT INTO products
SELECT g, 'product ' || g, (g % 97) + 0.99
FROM generate_series(1, 1000) g;

-- Order lines: 150,000, three per order for orders 1..50,000 only (the
-- others have none: anti joins).
CREATE TABLE lines (
	order_id	int NOT NULL,
	line		int NOT NULL,
	product_id	int NOT NULL,
	qty		int NOT NULL,
	PRIMARY KEY (order_id, line)
) WITH (autovacuum_enabled = off);
INSERT INTO lines
SELECT 1 + g % 50000, 1 + g / 50000, 1 + (g * 13) % 1000, 1 + g % 7
FROM generate_series(0, 149999) g;
ALTER TABLE lines ADD CONSTRAINT lines_order_id_fkey
	FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE lines ADD CONSTRAINT lines_product_id_fkey
	FOREIGN KEY (product_id) REFERENCES products (id);

-- Bitmaps: two independent columns of 100 values, an index on each.
CREATE TABLE bm (
	id	int NOT NULL,
	a	int NOT NULL,
	b	int NOT NULL,
	pad	text NOT NULL
) WITH (autovacuum_enabled = off);
INSERT INTO bm
SELECT g, (g * 7) % 100, (g * 11 + g / 100) % 100, repeat('x', 40)
FROM generate_series(1, 100000) g;
CREATE INDEX bm_a ON bm (a);
CREATE INDEX bm_b ON bm (b);

-- Index-only scans: vacuumed, then the first 10,000 rows updated so
-- that their pages are no longer all-visible (the statistics still say
-- they are): the scan visits the heap for them.
CREATE TABLE ios (
	id	int PRIMARY KEY,
	v	int NOT NULL
) WITH (autovacuum_enabled = off, fillfactor = 50);
INSERT INTO ios SELECT g, g % 1000 FROM generate_series(1, 100000) g;

-- A tree of 10,000 nodes for the recursive CTE.
CREATE TABLE tree (
	id		int PRIMARY KEY,
	parent_id	int
) WITH (autovacuum_enabled = off);
INSERT INTO tree SELECT g, CASE WHEN g = 1 THEN NULL ELSE g / 2 END
FROM generate_series(1, 10000) g;
CREATE INDEX tree_parent_id ON tree (parent_id);

-- Partitions: by range (quarters of 2023, with an index), by list and
-- by hash.
CREATE TABLE events (
	id	int NOT NULL,
	day	date NOT NULL,
	kind	int NOT NULL
) PARTITION BY RANGE (day);
CREATE TABLE events_q1 PARTITION OF events
	FOR VALUES FROM ('2023-01-01') TO ('2023-04-01')
	WITH (autovacuum_enabled = off);
CREATE TABLE events_q2 PARTITION OF events
	FOR VALUES FROM ('2023-04-01') TO ('2023-07-01')
	WITH (autovacuum_enabled = off);
CREATE TABLE events_q3 PARTITION OF events
	FOR VALUES FROM ('2023-07-01') TO ('2023-10-01')
	WITH (autovacuum_enabled = off);
CREATE TABLE events_q4 PARTITION OF events
	FOR VALUES FROM ('2023-10-01') TO ('2024-01-01')
	WITH (autovacuum_enabled = off);
INSERT INTO events
SELECT g, date '2023-01-01' + (g % 365), g % 10
FROM generate_series(1, 100000) g;
CREATE INDEX events_day ON events (day);

CREATE TABLE regions (
	id	int NOT NULL,
	region	text NOT NULL,
	score	int NOT NULL
) PARTITION BY LIST (region);
CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu')
	WITH (autovacuum_enabled = off);
CREATE TABLE regions_us PARTITION OF regions FOR VALUES IN ('us')
	WITH (autovacuum_enabled = off);
CREATE TABLE regions_ap PARTITION OF regions FOR VALUES IN ('ap')
	WITH (autovacuum_enabled = off);
INSERT INTO regions
SELECT g, (ARRAY['eu', 'us', 'ap'])[1 + g % 3], g % 100
FROM generate_series(1, 30000) g;

CREATE TABLE users (
	id	int NOT NULL,
	name	text NOT NULL
) PARTITION BY HASH (id);
CREATE TABLE users_0 PARTITION OF users
	FOR VALUES WITH (MODULUS 4, REMAINDER 0)
	WITH (autovacuum_enabled = off);
CREATE TABLE users_1 PARTITION OF users
	FOR VALUES WITH (MODULUS 4, REMAINDER 1)
	WITH (autovacuum_enabled = off);
CREATE TABLE users_2 PARTITION OF users
	FOR VALUES WITH (MODULUS 4, REMAINDER 2)
	WITH (autovacuum_enabled = off);
CREATE TABLE users_3 PARTITION OF users
	FOR VALUES WITH (MODULUS 4, REMAINDER 3)
	WITH (autovacuum_enabled = off);
INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 20000) g;
CREATE INDEX users_id ON users (id);

-- The ModifyTable shapes change tables of their own, with row and
-- foreign key triggers: 10,000 invoices, three lines each for the first
-- 5,000.  A rolled-back change still leaves dead rows, new pages and
-- index entries, which change the estimates of the next run: the runner
-- calls reset_invoices() after each such shape ('-- after:'), which
-- makes them again exactly as they were.
CREATE TABLE invoices (
	id		int PRIMARY KEY,
	customer_id	int NOT NULL REFERENCES customers (id),
	amount		numeric(10,2) NOT NULL,
	note		text
) WITH (autovacuum_enabled = off);
CREATE TABLE invoice_lines (
	invoice_id	int NOT NULL
			REFERENCES invoices (id) ON DELETE CASCADE,
	line		int NOT NULL,
	product_id	int NOT NULL REFERENCES products (id),
	qty		int NOT NULL,
	PRIMARY KEY (invoice_id, line)
) WITH (autovacuum_enabled = off);
CREATE FUNCTION reset_invoices() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	TRUNCATE invoices, invoice_lines;
	INSERT INTO invoices
	SELECT g, 1 + (g * 37) % 10000, ((g * 7919) % 100000) / 100.0, NULL
	FROM generate_series(1, 10000) g;
	INSERT INTO invoice_lines
	SELECT 1 + g % 5000, 1 + g / 5000, 1 + (g * 13) % 1000, 1 + g % 7
	FROM generate_series(0, 14999) g;
	ANALYZE invoices, invoice_lines;
END
$$;
CREATE FUNCTION invoice_lines_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.qty := greatest(NEW.qty, 1);
	RETURN NEW;
END
$$;
CREATE TRIGGER invoice_lines_check BEFORE INSERT OR UPDATE
	ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_lines_check();
CREATE FUNCTION invoices_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.note := 'touched';
	RETURN NEW;
END
$$;
CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices
	FOR EACH ROW EXECUTE FUNCTION invoices_touch();

SELECT reset_invoices();

-- Statistics for everything; the visibility map for 'ios' only.
ANALYZE;
VACUUM (ANALYZE) ios;
UPDATE ios SET v = v + 1 WHERE id <= 10000;
