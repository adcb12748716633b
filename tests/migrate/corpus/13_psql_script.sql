-- A psql script: meta-commands and COPY data are cut out before parsing;
-- dollar-quoted bodies, quoted identifiers and strings keep their
-- semicolons.
\set ON_ERROR_STOP on
\timing on

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

\echo 'creating the trigger function; then the rest'

-- expect: lock=- class=metadata findings=- tx
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
	-- a comment with a semicolon; and a $$ inside the outer quote
	NEW.updated_at := now();
	RETURN NEW;
END;
$fn$;

-- expect: lock=customers:ShareRowExclusiveLock class=metadata findings=- tx
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers
	FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- pgdeck cannot see what a DO block locks.
-- expect: lock=- findings=opaque-code tx
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_attribute
	    WHERE attrelid = 'customers'::regclass AND attname = 'karma') THEN
		EXECUTE 'ALTER TABLE customers ADD COLUMN karma integer; '
		    || 'ALTER TABLE customers ADD COLUMN rank integer';
	END IF;
END
$$;

-- expect: lock=- findings=opaque-code tx
DO LANGUAGE plpgsql $body$
DECLARE
	n bigint;
BEGIN
	SELECT count(*) INTO n FROM orders;	-- ; in a comment
	RAISE NOTICE 'orders: %; done', n;
END
$body$;

-- expect: lock=warehouses:RowExclusiveLock write=warehouses class=dml
-- expect: findings=- tx
COPY warehouses (id, name, city) FROM stdin;
200	Marseille	Marseille; port
201	Lille	Lille -- not a comment
202	"Quote;d"	'x;y'
\.

-- A string and an identifier with semicolons in them.
-- expect: lock=warehouses:RowExclusiveLock write=warehouses class=dml
-- expect: findings=- tx
INSERT INTO warehouses ("id", "name", city)
	VALUES (203, 'semi;colon', E'it''s; fine\\');

-- With check_function_bodies on (the default) the body of a SQL function
-- is analysed, and the tables it names are locked ACCESS SHARE.
-- expect: lock=orders:AccessShareLock class=metadata findings=- tx
CREATE FUNCTION order_count(c bigint) RETURNS bigint
LANGUAGE sql STABLE AS 'SELECT count(*) FROM orders WHERE customer_id = c; ';

\if :{?skip_backfill}
\echo skipped
\else
-- expect: lock=customers:RowExclusiveLock write=customers class=dml
-- expect: findings=- tx
UPDATE customers SET notes = '' WHERE notes IS NULL AND id < 100;
\endif

/* A C-style comment; with a semicolon, /* nested */ still inside. */
-- expect: lock=customers:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE customers ALTER COLUMN notes SET DEFAULT '';
