-- Domains and enums.  A domain constraint is checked against every column
-- of that domain: the tables using it are read under SHARE.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- customers.email is of domain email.  Adding a constraint, valid or
-- not, also locks the domain itself (an ACCESS SHARE object lock).
-- expect: lock=customers:ShareLock,email:AccessShareLock scan=customers
-- expect: findings=domain-constraint tx
ALTER DOMAIN email ADD CONSTRAINT email_lower CHECK (VALUE = lower(VALUE));

-- expect: lock=email:AccessShareLock scan=- findings=- tx
ALTER DOMAIN email ADD CONSTRAINT email_short
	CHECK (length(VALUE) < 255) NOT VALID;

-- expect: lock=customers:ShareLock scan=customers findings=- tx
ALTER DOMAIN email VALIDATE CONSTRAINT email_short;

-- expect: lock=- findings=- tx
ALTER DOMAIN email DROP CONSTRAINT email_short;

-- expect: lock=- class=metadata findings=- tx
CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE > 0);

-- Since PostgreSQL 12, ADD VALUE may run in a transaction block.  It
-- locks the type (an object lock in pg_locks) against other changes.
-- expect: lock=order_status:ExclusiveLock findings=- tx
ALTER TYPE order_status ADD VALUE 'returned' BEFORE 'cancelled';

-- expect: lock=order_status:ExclusiveLock findings=- tx
ALTER TYPE order_status RENAME VALUE 'cancelled' TO 'canceled';

-- expect: lock=- class=metadata findings=- tx
CREATE TYPE priority AS ENUM ('low', 'normal', 'high');

-- expect: lock=orders:AccessExclusiveLock rewrite=- class=metadata
-- expect: findings=- tx
ALTER TABLE orders ADD COLUMN priority priority NOT NULL DEFAULT 'normal';

-- expect: lock=- class=metadata findings=- tx
CREATE TYPE money_range AS RANGE (subtype = numeric);
