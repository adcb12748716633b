-- comment before
ALTER TABLE accounts ADD COLUMN flag boolean DEFAULT random() > 0.5;
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(100);
CREATE INDEX CONCURRENTLY accounts_x ON accounts (x);
ALTER TABLE accounts ADD CONSTRAINT fk FOREIGN KEY (owner_id) REFERENCES users (id);
UPDATE accounts SET x = 1;
ALTER TYPE mood ADD VALUE 'meh';
SELECT 'meh'::mood;
