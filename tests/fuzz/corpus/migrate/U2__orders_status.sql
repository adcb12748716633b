DROP INDEX orders_status_idx;
ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;
ALTER TABLE orders DROP COLUMN shipped_at;
