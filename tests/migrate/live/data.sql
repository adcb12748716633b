-- data.sql - rows for schema.sql: a few thousand per table, run on the
-- server only (the catalog reads schema.sql alone), then VACUUM ANALYZE
-- so that autovacuum finds nothing to do while the test runs.

INSERT INTO customers (id, email, name, tag, code, balance, credit, score,
    karma, mood, note)
	SELECT i, 'c' || i || '@example.com', 'name ' || i, 't' || (i % 100),
	    'code-' || i, (i % 500)::numeric / 4, (i % 300)::numeric / 8, i % 1000, 1 + i % 50,
	    (ARRAY['sad', 'ok', 'happy'])[1 + i % 3]::mood,
	    CASE WHEN i % 7 = 0 THEN 'note ' || i END
	FROM generate_series(1, 4000) AS i;

INSERT INTO orders (id, customer_id, amount, qty, status, ref, created_at)
	SELECT i, 1 + i % 4000, (i % 1000)::numeric / 10, 1 + i % 9,
	    (ARRAY['new', 'paid', 'shipped'])[1 + i % 3], (i * 7)::text,
	    timestamptz '2024-01-01' + i * interval '1 minute'
	FROM generate_series(1, 6000) AS i;

INSERT INTO items (id, order_id, sku, qty)
	SELECT i, 1 + i % 6000, 'sku-' || (i % 300), 1 + i % 5
	FROM generate_series(1, 5000) AS i;

INSERT INTO tags (id, label, weight)
	SELECT i, 'tag ' || i, i % 10 FROM generate_series(1, 2000) AS i;

INSERT INTO notes (id, customer_id, body)
	SELECT i, 1 + i % 4000, 'body ' || i FROM generate_series(1, 3000) AS i;

INSERT INTO audit_log (id, at, msg)
	SELECT i, timestamptz '2024-01-01' + i * interval '1 second', 'msg ' || i
	FROM generate_series(1, 3000) AS i;

INSERT INTO scratch (id, v)
	SELECT i, 'v ' || i FROM generate_series(1, 2000) AS i;

INSERT INTO events (id, at, kind, payload)
	SELECT i, date '2022-10-01' + (i % 820), 'k' || (i % 5), 'p ' || i
	FROM generate_series(1, 6000) AS i;

INSERT INTO events_2025 (id, at, kind, payload)
	SELECT i, date '2025-01-01' + (i % 365), 'k' || (i % 5), 'p ' || i
	FROM generate_series(7000, 9000) AS i;

INSERT INTO metrics (id, at, v)
	SELECT i, date '2023-01-01' + (i % 700), i / 3.0
	FROM generate_series(1, 4000) AS i;

REFRESH MATERIALIZED VIEW customer_totals;

VACUUM ANALYZE;
