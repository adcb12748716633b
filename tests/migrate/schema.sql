--
-- PostgreSQL database dump (schema only, trimmed by hand)
--
-- The database the migration corpus in tests/migrate/corpus runs against:
-- read by mig_catalog_add_sql() as what exists before a migration runs.
-- Things the corpus leans on:
--   customers.name/email/balance    used by the view active_customers
--   orders_status_warehouse_idx     (status, warehouse_id): warehouse_id is
--                                   the SECOND column, so it does not
--                                   support a foreign key on warehouse_id
--   order_items_pkey                (order_id, product_id): the same for
--                                   product_id
--   audit_log_user_id_not_null      a validated CHECK (user_id IS NOT NULL)
--   audit_log_action_not_null       the same, NOT VALID (does not count)
--   events                          partitioned, events_2023/events_2024
--                                   attached; events_2025 (no CHECK) and
--                                   events_2026 (CHECK implying the bound)
--                                   stand alone, waiting to be attached
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET client_min_messages = warning;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: order_status; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.order_status AS ENUM (
    'pending',
    'paid',
    'shipped',
    'cancelled'
);

--
-- Name: email; Type: DOMAIN; Schema: public; Owner: -
--

CREATE DOMAIN public.email AS text
	CONSTRAINT email_check CHECK ((VALUE ~~ '%@%'::text));

--
-- Name: invoice_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.invoice_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: customers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email public.email NOT NULL,
    name character varying(100),
    phone character varying(20),
    country character(2),
    balance numeric(10,2) DEFAULT 0 NOT NULL,
    score integer,
    notes text,
    signup_at timestamp without time zone,
    updated_at timestamp with time zone DEFAULT now(),
    prefs json,
    ip_range cidr
);

--
-- Name: warehouses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.warehouses (
    id integer NOT NULL,
    name character varying(60) NOT NULL,
    city text
);

--
-- Name: products; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.products (
    id integer NOT NULL,
    sku character varying(32) NOT NULL,
    title text,
    price numeric(10,2),
    weight_g integer,
    legacy_code text,
    created_at timestamp without time zone
);

--
-- Name: orders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
    total numeric(12,2),
    currency character(3),
    placed_at timestamp without time zone,
    shipped_at timestamp with time zone,
    coupon_code character varying(40),
    note text,
    referrer_id bigint,
    warehouse_id integer
);

--
-- Name: order_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.order_items (
    order_id bigint NOT NULL,
    product_id integer NOT NULL,
    qty integer NOT NULL,
    unit_price numeric(10,2) NOT NULL
);

--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    user_id bigint,
    action text,
    payload json,
    logged_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    id bigint NOT NULL,
    customer_id bigint,
    token text NOT NULL,
    expires_at timestamp with time zone
);

--
-- Name: legacy_import; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.legacy_import (
    import_id bigint,
    line_no integer,
    raw text
);

--
-- Name: events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (created_at);

--
-- Name: events_2023; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events_2023 PARTITION OF public.events
    FOR VALUES FROM ('2023-01-01 00:00:00+00') TO ('2024-01-01 00:00:00+00');

--
-- Name: events_2024; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events_2024 PARTITION OF public.events
    FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');

--
-- Name: events_2025; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events_2025 (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb
);

--
-- Name: events_2026; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.events_2026 (
    id bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    kind text NOT NULL,
    payload jsonb,
    CONSTRAINT events_2026_created_at_check CHECK (((created_at >= '2026-01-01 00:00:00+00'::timestamp with time zone) AND (created_at < '2027-01-01 00:00:00+00'::timestamp with time zone)))
);

--
-- Name: active_customers; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.active_customers AS
 SELECT customers.id,
    customers.email,
    customers.name
   FROM public.customers
  WHERE (customers.balance >= (0)::numeric);

--
-- Name: order_totals; Type: MATERIALIZED VIEW; Schema: public; Owner: -
--

CREATE MATERIALIZED VIEW public.order_totals AS
 SELECT orders.customer_id,
    count(*) AS n,
    sum(orders.total) AS total
   FROM public.orders
  GROUP BY orders.customer_id
  WITH NO DATA;

--
-- Name: customers customers_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_email_key UNIQUE (email);

--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.warehouses
    ADD CONSTRAINT warehouses_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_pkey PRIMARY KEY (order_id, product_id);

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

ALTER TABLE public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, created_at);

ALTER TABLE ONLY public.events_2025
    ADD CONSTRAINT events_2025_pkey PRIMARY KEY (id, created_at);

ALTER TABLE ONLY public.events_2026
    ADD CONSTRAINT events_2026_pkey PRIMARY KEY (id, created_at);

--
-- Name: audit_log audit_log_user_id_not_null; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.audit_log
    ADD CONSTRAINT audit_log_user_id_not_null CHECK ((user_id IS NOT NULL));

--
-- Name: audit_log audit_log_action_not_null; Type: CHECK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.audit_log
    ADD CONSTRAINT audit_log_action_not_null CHECK ((action IS NOT NULL)) NOT VALID;

--
-- Name: products_sku_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX products_sku_key ON public.products USING btree (sku);

CREATE INDEX customers_country_idx ON public.customers USING btree (country);

CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);

CREATE INDEX orders_status_placed_idx ON public.orders USING btree (status, placed_at);

--
-- Name: orders_status_warehouse_idx; Type: INDEX; Schema: public; Owner: -
-- (warehouse_id second: no help to a foreign key on warehouse_id)
--

CREATE INDEX orders_status_warehouse_idx ON public.orders USING btree (status, warehouse_id);

CREATE INDEX audit_log_logged_at_idx ON public.audit_log USING btree (logged_at);

CREATE INDEX sessions_expires_at_idx ON public.sessions USING btree (expires_at);

CREATE UNIQUE INDEX order_totals_customer_id_idx ON public.order_totals USING btree (customer_id);

--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);

ALTER TABLE ONLY public.order_items
    ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id);

--
-- PostgreSQL database dump complete
--
