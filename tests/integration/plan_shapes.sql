-- plan_shapes.sql - one statement per plan shape, on plan_schema.sql.
--
-- Format, read by tests/fixtures/plans/capture.sh and
-- tests/integration/test_plan_live.c:
--   - the lines before the first shape are run once per session;
--   - a shape starts with '-- shape: NAME' (NAME names the fixture
--     files NAME.json and NAME.txt);
--   - '-- expect: LABEL' names a node label the plan must have, as
--     EXPLAIN text prints it ("Merge Full Join"); there may be several;
--   - '-- warn: KIND' names a warning the analysis must raise: a
--     PLAN_W_ kind in lower case (misestimate, disk_sort, lossy ...);
--   - '-- after: SQL' is run after the shape's transaction, outside it
--     (to undo what a rolled-back change left in the tables);
--   - other comments are prose;
--   - statements end with ';' at the end of a line; the last one of a
--     shape starts with EXPLAIN, and the runner puts its own options
--     after that word.
-- Each shape runs in a transaction that is rolled back, so its SETs
-- and its changes do not outlive it.

SET jit = off;
SET max_parallel_workers_per_gather = 0;

-- Scans ------------------------------------------------------------------

-- shape: seq_scan
-- expect: Seq Scan
-- Most rows thrown away by the filter.
EXPLAIN SELECT id, amount FROM orders WHERE note LIKE 'ff%';

-- shape: index_scan
-- expect: Index Scan
EXPLAIN SELECT id, status, amount FROM orders WHERE id BETWEEN 1000 AND 1100;

-- shape: index_scan_backward
-- expect: Index Scan Backward
-- expect: Limit
EXPLAIN SELECT id, amount FROM orders ORDER BY id DESC LIMIT 10;

-- shape: index_only_scan
-- expect: Index Only Scan
-- warn: heap_fetches
-- Pages of the first 10,000 rows are not all-visible.
EXPLAIN SELECT count(id) FROM ios WHERE id BETWEEN 1 AND 20000;

-- shape: bitmap_and
-- expect: Bitmap Heap Scan
-- expect: BitmapAnd
-- expect: Bitmap Index Scan
EXPLAIN SELECT id, a, b FROM bm WHERE a = 5 AND b = 7;

-- shape: bitmap_or
-- expect: BitmapOr
EXPLAIN SELECT id, a, b FROM bm WHERE a = 5 OR b = 7;

-- shape: bitmap_lossy
-- expect: Bitmap Heap Scan
-- warn: lossy
-- A bitmap that does not fit in work_mem turns lossy: exact and lossy
-- heap blocks, rows removed by the recheck.
SET work_mem = '64kB';
SET enable_seqscan = off;
SET enable_indexscan = off;
EXPLAIN SELECT count(*) FROM bm WHERE a < 30;

-- shape: tid_scan
-- expect: Tid Scan
EXPLAIN SELECT id FROM orders WHERE ctid = '(10,3)';

-- shape: tid_range_scan
-- expect: Tid Range Scan
EXPLAIN SELECT count(*) FROM orders WHERE ctid < '(20,0)';

-- shape: function_scan
-- expect: Function Scan
EXPLAIN SELECT g, g * 2 FROM generate_series(1, 1000) g WHERE g % 3 = 0;

-- shape: values_scan
-- expect: Values Scan
-- expect: Nested Loop
EXPLAIN SELECT o.id, v.label
FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three')) v(n, label)
JOIN orders o ON o.id = v.n;

-- shape: cte_scan
-- expect: CTE Scan
-- A materialized CTE read twice: its time is in whichever scan pulls
-- its rows first.
EXPLAIN WITH big AS MATERIALIZED (
	SELECT customer_id, sum(amount) AS total
	FROM orders GROUP BY customer_id
)
SELECT a.customer_id, a.total
FROM big a JOIN big b ON b.customer_id = a.customer_id + 1
WHERE a.total > b.total;

-- shape: recursive_union
-- expect: Recursive Union
-- expect: WorkTable Scan
-- expect: CTE Scan
EXPLAIN WITH RECURSIVE down(id, depth) AS (
	SELECT id, 0 FROM tree WHERE id = 2
	UNION ALL
	SELECT t.id, d.depth + 1 FROM tree t JOIN down d ON t.parent_id = d.id
)
SELECT depth, count(*) FROM down GROUP BY depth ORDER BY depth;

-- shape: subquery_scan
-- expect: Subquery Scan
-- expect: WindowAgg
-- The latest order of each customer of tier 1.
EXPLAIN SELECT s.customer_id, s.id
FROM (
	SELECT o.customer_id, o.id,
	       row_number() OVER (PARTITION BY o.customer_id
	                          ORDER BY o.created DESC) AS rn
	FROM orders o WHERE o.customer_id <= 200
) s
WHERE s.rn = 1;

-- shape: sample_scan
-- expect: Sample Scan
EXPLAIN SELECT count(*) FROM orders TABLESAMPLE SYSTEM (5) REPEATABLE (42);

-- Joins ------------------------------------------------------------------

-- shape: nested_loop
-- expect: Nested Loop
-- expect: Index Scan
-- warn: loops
-- The inner index scan runs once per outer row.
SET enable_hashjoin = off;
SET enable_mergejoin = off;
EXPLAIN SELECT o.id, l.qty
FROM orders o JOIN lines l ON l.order_id = o.id
WHERE o.customer_id BETWEEN 1 AND 50;

-- shape: nested_loop_left_join
-- expect: Nested Loop Left Join
EXPLAIN SELECT c.id, o.id
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
WHERE c.id < 20;

-- shape: nested_loop_anti_join
-- expect: Nested Loop Anti Join
EXPLAIN SELECT c.id FROM customers c
WHERE c.id < 100
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id
                  AND o.status = 'new');

-- shape: hash_join
-- expect: Hash Join
-- expect: Hash
EXPLAIN SELECT c.tier, count(*)
FROM orders o JOIN customers c ON c.id = o.customer_id
GROUP BY c.tier;

-- shape: hash_left_join
-- expect: Hash Left Join
EXPLAIN SELECT count(c.name)
FROM orders o LEFT JOIN customers c ON c.id = o.customer_id AND c.tier = 1;

-- shape: hash_right_join
-- expect: Hash Right Join
EXPLAIN SELECT c.id, o.id
FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id
WHERE c.tier = 1;

-- shape: hash_full_join
-- expect: Hash Full Join
SET enable_mergejoin = off;
EXPLAIN SELECT count(*)
FROM (SELECT * FROM customers WHERE id % 2 = 0) a
FULL JOIN (SELECT * FROM customers WHERE id % 3 = 0) b ON b.id = a.id;

-- shape: hash_semi_join
-- expect: Hash Semi Join
SET enable_hashagg = off;
EXPLAIN SELECT p.id, p.name FROM products p
WHERE EXISTS (SELECT 1 FROM lines l WHERE l.product_id = p.id AND l.qty = 7);

-- shape: hash_anti_join
-- expect: Hash Anti Join
EXPLAIN SELECT count(*) FROM orders o
WHERE NOT EXISTS (SELECT 1 FROM lines l WHERE l.order_id = o.id);

-- shape: merge_join
-- expect: Merge Join
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN SELECT count(*) FROM orders o JOIN lines l ON l.order_id = o.id;

-- shape: merge_full_join
-- expect: Merge Full Join
SET enable_hashjoin = off;
EXPLAIN SELECT count(*)
FROM (SELECT * FROM orders WHERE id <= 60000) o
FULL JOIN lines l ON l.order_id = o.id;

-- shape: merge_left_join
-- expect: Merge Left Join
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN SELECT count(l.qty)
FROM orders o LEFT JOIN lines l ON l.order_id = o.id
WHERE o.id <= 60000;

-- shape: merge_anti_join
-- expect: Merge Anti Join
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN SELECT count(*) FROM orders o
WHERE o.id <= 60000
  AND NOT EXISTS (SELECT 1 FROM lines l WHERE l.order_id = o.id);

-- shape: memoize
-- expect: Memoize
-- expect: Nested Loop
-- 20,000 lines with 1,000 distinct products: the inner lookups hit
-- the cache.
SET enable_hashjoin = off;
SET enable_mergejoin = off;
EXPLAIN SELECT sum(p.price * l.qty)
FROM lines l JOIN products p ON p.id = l.product_id
WHERE l.order_id <= 7000;

-- shape: materialize
-- expect: Materialize
-- expect: Nested Loop
-- A join on an inequality: the inner side is kept in memory.
EXPLAIN SELECT count(*)
FROM (SELECT id FROM products WHERE id <= 300) a
JOIN (SELECT id FROM customers WHERE id <= 200) b ON a.id + b.id < 250;

-- Sorts, hashes and aggregates -------------------------------------------

-- shape: sort_disk
-- expect: Sort
-- warn: disk_sort
SET work_mem = '64kB';
EXPLAIN SELECT id, note FROM orders ORDER BY note;

-- shape: incremental_sort
-- expect: Incremental Sort
EXPLAIN SELECT id, created, amount FROM orders
ORDER BY created, amount LIMIT 1000;

-- shape: topn_heapsort
-- expect: Sort
-- expect: Limit
EXPLAIN SELECT id, amount FROM orders ORDER BY amount DESC LIMIT 10;

-- shape: hash_batches
-- expect: Hash Join
-- warn: hash_batches
SET work_mem = '64kB';
SET enable_mergejoin = off;
EXPLAIN SELECT count(*), max(c.name)
FROM orders o JOIN customers c ON c.id = o.customer_id;

-- shape: hashagg_spill
-- expect: HashAggregate
-- warn: hashagg_spill
SET work_mem = '64kB';
SET enable_sort = off;
SET enable_indexscan = off;
EXPLAIN SELECT customer_id, count(*), sum(amount)
FROM orders GROUP BY customer_id;

-- shape: group_aggregate
-- expect: GroupAggregate
SET enable_hashagg = off;
EXPLAIN SELECT customer_id, count(*) FROM orders
WHERE customer_id <= 2000 GROUP BY customer_id;

-- shape: mixed_aggregate
-- expect: MixedAggregate
EXPLAIN SELECT status, city, count(*) FROM orders
GROUP BY GROUPING SETS ((status), (city), ());

-- shape: window_agg
-- expect: WindowAgg
EXPLAIN SELECT id, amount,
       sum(amount) OVER (PARTITION BY status ORDER BY id) AS running
FROM orders WHERE created < '2023-02-01';

-- shape: unique
-- expect: Unique
SET enable_hashagg = off;
EXPLAIN SELECT DISTINCT customer_id FROM orders WHERE customer_id < 3000;

-- shape: setop_intersect
-- expect: SetOp Intersect
SET enable_hashagg = off;
EXPLAIN SELECT customer_id FROM orders WHERE status = 'new'
INTERSECT
SELECT id FROM customers WHERE tier = 2;

-- shape: hashsetop_except
-- expect: HashSetOp Except
EXPLAIN SELECT id FROM customers
EXCEPT
SELECT customer_id FROM orders WHERE created < '2023-03-01';

-- Partitions -------------------------------------------------------------

-- shape: append_pruned
-- expect: Append
-- expect: Seq Scan
-- Two quarters of four, pruned at plan time.
EXPLAIN SELECT kind, count(*) FROM events
WHERE day >= '2023-04-15' AND day < '2023-08-15'
GROUP BY kind;

-- shape: merge_append
-- expect: Merge Append
-- Hash partitions have no order of their own: their index scans are
-- merged.
EXPLAIN SELECT id, name FROM users ORDER BY id LIMIT 20;

-- shape: append_runtime_pruned
-- expect: Append
-- expect: Seq Scan
-- The partition key compared with an InitPlan's value: the partitions
-- that cannot match are never executed.
EXPLAIN SELECT count(*) FROM regions
WHERE region = (SELECT 'us'::text);

-- shape: hash_partitions
-- expect: Append
EXPLAIN SELECT u.id, u.name FROM users u WHERE u.id IN (7, 11, 4242);

-- Parallel ---------------------------------------------------------------

-- shape: parallel_aggregate
-- expect: Gather
-- expect: Parallel Seq Scan
-- expect: Finalize Aggregate
-- expect: Partial Aggregate
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN SELECT count(*), sum(amount) FROM orders WHERE status <> 'done';

-- shape: parallel_hash_join
-- expect: Gather
-- expect: Parallel Hash Join
-- expect: Parallel Hash
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_mergejoin = off;
EXPLAIN SELECT count(*) FROM orders o JOIN lines l ON l.order_id = o.id
WHERE l.qty > 1;

-- shape: gather_merge
-- expect: Gather Merge
-- expect: Sort
-- expect: Parallel Seq Scan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- A top-N sort in each process, merged.
EXPLAIN SELECT id, amount FROM orders WHERE status <> 'done'
ORDER BY amount, id LIMIT 100;

-- shape: parallel_append
-- expect: Parallel Append
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN SELECT kind, count(*) FROM events GROUP BY kind;

-- Subplans ---------------------------------------------------------------

-- shape: initplan
-- expect: Seq Scan
-- expect: Aggregate
-- One scalar subquery, run once, its value used as $0 by the scan.
EXPLAIN SELECT id, amount FROM orders
WHERE amount > (SELECT avg(amount) * 1.99 FROM orders);

-- shape: subplan
-- expect: Index Only Scan
-- expect: Bitmap Heap Scan
-- A correlated subquery run once per customer.
EXPLAIN SELECT c.id,
       (SELECT max(o.amount) FROM orders o WHERE o.customer_id = c.id)
FROM customers c WHERE c.id <= 300;

-- shape: hashed_subplan
-- expect: Seq Scan
EXPLAIN SELECT count(*) FROM customers c
WHERE c.id NOT IN (SELECT customer_id FROM orders WHERE status = 'new');

-- Row locks, limits, misestimates ----------------------------------------

-- shape: lock_rows
-- expect: LockRows
EXPLAIN SELECT id, status FROM orders WHERE customer_id = 77 FOR UPDATE;

-- shape: limit_early
-- expect: Limit
-- The scan under the limit is estimated at 200,000 rows and stops
-- after 5: not a misestimate.
EXPLAIN SELECT id, note FROM orders WHERE status = 'paid' LIMIT 5;

-- shape: misestimate
-- expect: Seq Scan
-- warn: misestimate
-- city determines country: estimated 4 rows, 200 come back.
EXPLAIN SELECT o.id, o.amount, c.name
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.city = 7 AND o.country = 7;

-- shape: result
-- expect: Result
EXPLAIN SELECT 1 + 1 AS two, now() > '2000-01-01' AS later;

-- shape: project_set
-- expect: ProjectSet
EXPLAIN SELECT id, generate_series(1, 3) AS n FROM products WHERE id <= 5;

-- Changes and triggers ---------------------------------------------------

-- shape: insert_triggers
-- expect: Insert
-- after: SELECT reset_invoices()
-- A row trigger and two foreign key triggers.
EXPLAIN INSERT INTO invoice_lines (invoice_id, line, product_id, qty)
SELECT id, 9, 1 + id % 1000, 1 FROM invoices WHERE id BETWEEN 1 AND 1000;

-- shape: update_trigger
-- expect: Update
-- after: SELECT reset_invoices()
EXPLAIN UPDATE invoices SET amount = amount + 1 WHERE id <= 1000;

-- shape: delete_cascade
-- expect: Delete
-- after: SELECT reset_invoices()
-- The foreign key of invoice_lines cascades.
EXPLAIN DELETE FROM invoices WHERE id <= 500;

-- JIT --------------------------------------------------------------------

-- shape: jit
-- expect: HashAggregate
SET jit = on;
SET jit_above_cost = 0;
SET jit_inline_above_cost = 0;
SET jit_optimize_above_cost = 0;
EXPLAIN SELECT status, sum(amount * 2), avg(city + country)
FROM orders WHERE created > '2023-06-01' GROUP BY status;
