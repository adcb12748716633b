-- The undo of V12: still one transaction, but it does not run on deploy,
-- so the planner leaves it without findings.

-- expect: lock=- class=none findings=- tx in-tx
SET lock_timeout = '5s';

-- expect: lock=orders:AccessExclusiveLock class=metadata
-- expect: findings=- tx in-tx
ALTER TABLE orders DROP COLUMN IF EXISTS gift_note;

-- expect: lock=orders:AccessExclusiveLock class=metadata
-- expect: findings=- tx in-tx
ALTER TABLE orders DROP COLUMN IF EXISTS gift;
