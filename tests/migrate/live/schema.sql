-- schema.sql - the database test_migrate_live runs every statement on.
--
-- Read twice: executed on the server (database pgdeck_migrate_test,
-- schema public), and given to the engine's catalog with
-- mig_catalog_add_sql() so that it can resolve an index to its table,
-- a column to its type, a foreign key to both ends.  Rows come after,
-- from data.sql, which the catalog never sees.
--
-- One statement ends with ';' at the end of a line, outside $$.

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE DOMAIN posint AS integer CONSTRAINT posint_check CHECK (VALUE > 0);

-- Not validated yet: for ALTER DOMAIN ... VALIDATE CONSTRAINT.
ALTER DOMAIN posint ADD CONSTRAINT posint_max CHECK (VALUE < 1000000)
	NOT VALID;

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

-- Referenced by orders, notes and items' parent: the FK parent.
-- score has CHECK (score IS NOT NULL), which lets SET NOT NULL skip
-- its scan; name has nothing of the kind.
CREATE TABLE customers (
	id integer NOT NULL,
	email text NOT NULL,
	name text,
	tag varchar(10),
	code varchar(40),
	balance numeric(10,2) NOT NULL DEFAULT 0,
	credit numeric(10,2),
	score integer,
	karma posint,
	mood mood NOT NULL DEFAULT 'ok',
	note text,
	CONSTRAINT customers_pkey PRIMARY KEY (id),
	CONSTRAINT customers_email_key UNIQUE (email),
	CONSTRAINT customers_score_nn CHECK (score IS NOT NULL)
);

CREATE INDEX customers_name_idx ON customers (name);

CREATE INDEX customers_tag_idx ON customers (tag);

-- The table with a trigger, referencing customers.
CREATE TABLE orders (
	id bigint NOT NULL,
	customer_id integer NOT NULL,
	amount numeric(10,2) NOT NULL,
	qty integer NOT NULL,
	status text NOT NULL DEFAULT 'new',
	ref text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz,
	CONSTRAINT orders_pkey PRIMARY KEY (id),
	CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id)
	    REFERENCES customers (id)
);

CREATE INDEX orders_customer_idx ON orders (customer_id);

CREATE INDEX orders_created_idx ON orders (created_at);

CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
	FOR EACH ROW EXECUTE FUNCTION touch();

-- Constraints added NOT VALID, for VALIDATE CONSTRAINT.
CREATE TABLE items (
	id integer NOT NULL,
	order_id bigint NOT NULL,
	sku text NOT NULL,
	qty integer NOT NULL,
	CONSTRAINT items_pkey PRIMARY KEY (id)
);

ALTER TABLE items ADD CONSTRAINT items_order_fk FOREIGN KEY (order_id)
	REFERENCES orders (id) NOT VALID;

ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty > 0) NOT VALID;

-- No primary key, but a unique index ready for ADD ... USING INDEX.
CREATE TABLE tags (
	id integer NOT NULL,
	label text NOT NULL,
	weight integer
);

CREATE UNIQUE INDEX tags_id_uidx ON tags (id);

CREATE UNIQUE INDEX tags_label_uidx ON tags (label);

-- References customers: dropping it drops triggers on customers.
CREATE TABLE notes (
	id integer NOT NULL,
	customer_id integer REFERENCES customers (id),
	body text,
	CONSTRAINT notes_pkey PRIMARY KEY (id)
);

-- Standalone: SET UNLOGGED needs a table no FK ties to a logged one.
CREATE TABLE audit_log (
	id bigint NOT NULL,
	at timestamptz NOT NULL,
	msg text,
	CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);

CREATE UNLOGGED TABLE scratch (
	id integer NOT NULL,
	v text,
	CONSTRAINT scratch_pkey PRIMARY KEY (id)
);

CREATE VIEW active_customers AS
	SELECT id, email, name FROM customers WHERE balance > 0;

CREATE MATERIALIZED VIEW customer_totals AS
	SELECT customer_id, count(*) AS n, sum(amount) AS total
	FROM orders GROUP BY customer_id;

CREATE UNIQUE INDEX customer_totals_customer_idx
	ON customer_totals (customer_id);

-- Range-partitioned, with a default partition.
CREATE TABLE events (
	id bigint NOT NULL,
	at date NOT NULL,
	kind text NOT NULL,
	payload text
) PARTITION BY RANGE (at);

CREATE INDEX events_at_idx ON events (at);

CREATE TABLE events_2023 PARTITION OF events
	FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

CREATE TABLE events_2024 PARTITION OF events
	FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE events_default PARTITION OF events DEFAULT;

-- An index on the parent alone (invalid until each partition has one
-- attached), and events_2023's, ready for ALTER INDEX ... ATTACH.
CREATE INDEX events_payload_idx ON ONLY events (payload);

CREATE INDEX events_2023_payload_idx ON events_2023 (payload);

-- Detached, ready to attach as events' 2025.
CREATE TABLE events_2025 (
	id bigint NOT NULL,
	at date NOT NULL,
	kind text NOT NULL,
	payload text
);

-- Partitioned without a default: DETACH ... CONCURRENTLY refuses one.
CREATE TABLE metrics (
	id bigint NOT NULL,
	at date NOT NULL,
	v double precision
) PARTITION BY RANGE (at);

CREATE TABLE metrics_2023 PARTITION OF metrics
	FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');

CREATE TABLE metrics_2024 PARTITION OF metrics
	FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
