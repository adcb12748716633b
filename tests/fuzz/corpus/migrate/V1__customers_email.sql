-- Widen the e-mail column: no rewrite, varchar(100) -> varchar(255).
SET lock_timeout = '2s';
ALTER TABLE customers ALTER COLUMN email TYPE varchar(255);
CREATE INDEX CONCURRENTLY customers_email_idx ON customers (email);
