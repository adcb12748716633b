-- live_schema.sql - the database of tests/integration/test_schema_live.c.
--
-- Each statement runs on its own (autocommit), so CREATE INDEX
-- CONCURRENTLY and VACUUM can be here.  A statement that is expected to
-- fail is preceded by the line "-- @fails".  A statement ends with ';'
-- at the end of a line, outside a $$ body.
--
-- What is here, and what the test expects of it, by schema:
--   app      customers (identity, generated, domain column, expression
--            index, duplicate and redundant indexes, triggers),
--            categories (self-referencing FK covered by an index that
--            leads with it), products (FK whose only index is partial),
--            orders (RANGE partitioned, FK to customers with no index),
--            order_lines (HASH partitioned, composite FK to the
--            partitioned orders, FK column only SECOND in an index, an
--            int column referencing a bigint), a view, a matview
--   billing  accounts <-> contacts (a FK cycle, a NOT VALID FK, a NOT
--            VALID check), invoices / invoice_lines (composite FK
--            covered by an index on its columns in the other order),
--            account_settings (1:1), a domain with two checks
--   audit    events (LIST partitioned, a DEFAULT partition that is
--            RANGE sub-partitioned, no primary key), log_base with the
--            inheritance child log_archive (no primary key)
--            remote_events, a foreign table (postgres_fdw)
--   public   tags (an invalid unique index left by a failed CONCURRENTLY
--            build), bloated (90% of rows deleted, vacuumed, not
--            shrunk), notes (no PK but a unique index on NOT NULL)

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'The shop';
CREATE SCHEMA billing;
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'What happened';

CREATE TYPE app.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
-- The new label sorts before 'cancelled' but has the highest OID.
ALTER TYPE app.order_status ADD VALUE 'refunded' BEFORE 'cancelled';
COMMENT ON TYPE app.order_status IS 'Where an order is';
CREATE TYPE audit.event_kind AS ENUM ('login', 'logout', 'purchase', 'other');
CREATE DOMAIN app.email AS text NOT NULL CHECK (VALUE ~ '@');
COMMENT ON DOMAIN app.email IS 'An e-mail address';
CREATE DOMAIN billing.cents AS bigint DEFAULT 0
    CONSTRAINT cents_positive CHECK (VALUE >= 0)
    CONSTRAINT cents_bounded CHECK (VALUE < 1000000000000);

CREATE TABLE app.customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email app.email,
    name text NOT NULL,
    name_lower text GENERATED ALWAYS AS (lower(name)) STORED,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.customers IS 'People who buy';
COMMENT ON COLUMN app.customers.email IS 'Where receipts go';
COMMENT ON CONSTRAINT customers_pkey ON app.customers IS 'Surrogate key';
CREATE UNIQUE INDEX customers_email_key ON app.customers (email);
CREATE INDEX customers_lower_name_idx ON app.customers (lower(name), id);
COMMENT ON INDEX app.customers_lower_name_idx IS 'Case-insensitive search';
CREATE INDEX customers_created_idx ON app.customers (created_at);
CREATE INDEX customers_created_idx2 ON app.customers (created_at);
CREATE INDEX customers_name_idx ON app.customers (name);
CREATE INDEX customers_name_created_idx ON app.customers (name, created_at);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE TRIGGER customers_touch BEFORE UPDATE ON app.customers
    FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON TRIGGER customers_touch ON app.customers IS 'Keeps it fresh';
CREATE TRIGGER customers_audit AFTER INSERT ON app.customers
    FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.customers DISABLE TRIGGER customers_audit;

CREATE TABLE app.categories (
    id integer PRIMARY KEY,
    parent_id integer REFERENCES app.categories (id),
    name text NOT NULL
);
CREATE INDEX categories_parent_name_idx ON app.categories (parent_id, name);

CREATE TABLE app.products (
    id bigint PRIMARY KEY,
    sku text NOT NULL UNIQUE,
    category_id integer REFERENCES app.categories (id),
    price billing.cents
);
CREATE INDEX products_category_idx ON app.products (category_id)
    WHERE category_id IS NOT NULL;

CREATE TABLE app.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    status app.order_status NOT NULL DEFAULT 'new',
    created_at date NOT NULL,
    PRIMARY KEY (id, created_at),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
        REFERENCES app.customers (id)
) PARTITION BY RANGE (created_at);
COMMENT ON CONSTRAINT orders_customer_fk ON app.orders IS 'Every order has a buyer';
CREATE TABLE app.orders_2023 PARTITION OF app.orders
    FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE app.orders_2024 PARTITION OF app.orders
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.orders_default PARTITION OF app.orders DEFAULT;
CREATE TRIGGER orders_touch BEFORE UPDATE ON app.orders
    FOR EACH ROW EXECUTE FUNCTION app.touch();
INSERT INTO app.customers (email, name)
    SELECT 'c' || i || '@example.org', 'Customer ' || i
    FROM generate_series(1, 100) i;
INSERT INTO app.orders
    SELECT i, 1 + i % 100, 'paid', DATE '2023-01-01' + i % 700
    FROM generate_series(1, 3000) i;

CREATE TABLE app.order_lines (
    order_id bigint NOT NULL,
    order_created_at date NOT NULL,
    line_no integer NOT NULL,
    product_id integer NOT NULL,
    qty integer NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, order_created_at, line_no),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id, order_created_at)
        REFERENCES app.orders (id, created_at),
    CONSTRAINT order_lines_product_fk FOREIGN KEY (product_id)
        REFERENCES app.products (id)
) PARTITION BY HASH (order_id);
CREATE TABLE app.order_lines_0 PARTITION OF app.order_lines
    FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE app.order_lines_1 PARTITION OF app.order_lines
    FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX order_lines_qty_product_idx ON app.order_lines (qty, product_id);

CREATE VIEW app.customer_orders AS
    SELECT c.id, c.name, count(o.id) AS orders
    FROM app.customers c LEFT JOIN app.orders o ON o.customer_id = c.id
    GROUP BY c.id, c.name;
COMMENT ON VIEW app.customer_orders IS 'Orders per customer';
CREATE MATERIALIZED VIEW app.daily_orders AS
    SELECT created_at AS day, count(*) AS n FROM app.orders GROUP BY 1;
CREATE UNIQUE INDEX daily_orders_day ON app.daily_orders (day);

CREATE TABLE billing.accounts (
    id integer PRIMARY KEY,
    name text NOT NULL,
    primary_contact_id integer,
    balance billing.cents NOT NULL
);
CREATE TABLE billing.contacts (
    id integer PRIMARY KEY,
    account_id integer NOT NULL REFERENCES billing.accounts (id),
    phone text
);
CREATE INDEX contacts_account_idx ON billing.contacts (account_id);
ALTER TABLE billing.accounts ADD CONSTRAINT accounts_contact_fk
    FOREIGN KEY (primary_contact_id) REFERENCES billing.contacts (id)
    NOT VALID;
ALTER TABLE billing.contacts ADD CONSTRAINT contacts_phone_check
    CHECK (phone <> '') NOT VALID;
CREATE TABLE billing.account_settings (
    account_id integer PRIMARY KEY REFERENCES billing.accounts (id)
        ON DELETE CASCADE,
    theme text
);
CREATE TABLE billing.invoices (
    year integer NOT NULL,
    no integer NOT NULL,
    id bigint GENERATED BY DEFAULT AS IDENTITY UNIQUE,
    account_id integer NOT NULL REFERENCES billing.accounts (id),
    PRIMARY KEY (year, no)
);
CREATE INDEX invoices_account_idx ON billing.invoices USING hash (account_id);
CREATE TABLE billing.invoice_lines (
    invoice_year integer NOT NULL,
    invoice_no integer NOT NULL,
    line integer NOT NULL,
    amount billing.cents,
    PRIMARY KEY (line, invoice_year, invoice_no),
    FOREIGN KEY (invoice_year, invoice_no)
        REFERENCES billing.invoices (year, no) ON DELETE CASCADE
);
CREATE INDEX invoice_lines_invoice_idx
    ON billing.invoice_lines (invoice_no, invoice_year, line);

CREATE TABLE audit.events (
    at timestamptz NOT NULL,
    kind audit.event_kind NOT NULL,
    customer_id bigint REFERENCES app.customers (id),
    detail text
) PARTITION BY LIST (kind);
CREATE INDEX events_customer_idx ON audit.events (customer_id);
CREATE TABLE audit.events_session PARTITION OF audit.events
    FOR VALUES IN ('login', 'logout');
CREATE TABLE audit.events_rest PARTITION OF audit.events DEFAULT
    PARTITION BY RANGE (at);
CREATE TABLE audit.events_rest_2024 PARTITION OF audit.events_rest
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE audit.events_rest_2025 PARTITION OF audit.events_rest
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO audit.events
    SELECT TIMESTAMPTZ '2024-01-01' + i * INTERVAL '3 hours',
        (ARRAY['login', 'logout', 'purchase', 'other'])[1 + i % 4]::audit.event_kind,
        1 + i % 100, repeat('x', i % 200)
    FROM generate_series(1, 5000) i;
CREATE TABLE audit.log_base (
    id bigint PRIMARY KEY,
    msg text NOT NULL
);
CREATE TABLE audit.log_archive (archived_at date) INHERITS (audit.log_base);

CREATE TABLE public.tags (
    id integer PRIMARY KEY,
    label text NOT NULL
);
INSERT INTO public.tags VALUES (1, 'red'), (2, 'red');
-- @fails
CREATE UNIQUE INDEX CONCURRENTLY tags_label_key ON public.tags (label);

CREATE TABLE public.notes (
    code text NOT NULL,
    body text
);
CREATE UNIQUE INDEX notes_code_key ON public.notes (code);

CREATE TABLE public.bloated (
    id integer PRIMARY KEY,
    pad text NOT NULL
);
CREATE INDEX bloated_pad_idx ON public.bloated (pad);
INSERT INTO public.bloated
    SELECT i, repeat(md5(i::text), 3) FROM generate_series(1, 200000) i;
DELETE FROM public.bloated WHERE id % 10 <> 0;
VACUUM ANALYZE public.bloated;
ANALYZE app.customers;

-- A foreign table (postgres_fdw, from postgresql-contrib): a relation of
-- kind 'f' in audit, with no storage of its own (size 0) and no lints
-- (it cannot have a primary key or an index).
CREATE EXTENSION postgres_fdw;
CREATE SERVER archive_db FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', dbname 'postgres');
CREATE FOREIGN TABLE audit.remote_events (id bigint NOT NULL, what text)
    SERVER archive_db OPTIONS (schema_name 'audit', table_name 'events');
COMMENT ON FOREIGN TABLE audit.remote_events IS 'Events kept in the archive database';
