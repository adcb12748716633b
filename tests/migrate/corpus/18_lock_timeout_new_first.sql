-- Locks on tables this file creates need no lock_timeout; a foreign key
-- from a new table locks its existing parent SHARE ROW EXCLUSIVE, which
-- does.  A SET lock_timeout later in the file covers what follows it.

-- expect: lock=- class=metadata findings=- tx
CREATE TABLE gift_cards (id bigint PRIMARY KEY, code text NOT NULL);

-- expect: lock=gift_cards:ShareLock build=gift_cards class=index
-- expect: findings=- tx
CREATE INDEX gift_cards_code_idx ON gift_cards (code);

-- expect: lock=gift_cards:AccessExclusiveLock class=scan findings=- tx
ALTER TABLE gift_cards ADD COLUMN balance numeric(12,2) NOT NULL;

-- expect: lock=gift_cards:ShareRowExclusiveLock,customers:ShareRowExclusiveLock
-- expect: class=metadata findings=lock-timeout-missing,fk-without-index tx
CREATE TABLE gift_card_owners (
	gift_card_id bigint PRIMARY KEY REFERENCES gift_cards (id),
	customer_id bigint NOT NULL REFERENCES customers (id)
);

-- expect: lock=- class=none findings=- tx
SET SESSION lock_timeout TO '2s';

-- expect: lock=customers:AccessExclusiveLock class=metadata findings=- tx
ALTER TABLE customers ADD COLUMN gift_card_count integer;
