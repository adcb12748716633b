-- Partitions: ATTACH holds SHARE UPDATE EXCLUSIVE on the parent and ACCESS
-- EXCLUSIVE on the partition while it scans the partition, unless a CHECK
-- constraint already implies the bound.  DETACH CONCURRENTLY runs outside
-- a transaction block and still ends with ACCESS EXCLUSIVE on the
-- partition.

-- expect: lock=- class=none findings=- tx
SET lock_timeout = '5s';

-- events_2025 has no CHECK constraint: the whole partition is scanned.
-- expect: lock=events:ShareUpdateExclusiveLock,events_2025:AccessExclusiveLock
-- expect: scan=events_2025 rewrite=- build=- class=scan
-- expect: findings=partition-attach-scan tx
ALTER TABLE events ATTACH PARTITION events_2025
	FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');

-- events_2026_created_at_check implies the bound: no scan.
-- expect: lock=events:ShareUpdateExclusiveLock,events_2026:AccessExclusiveLock
-- expect: scan=- rewrite=- build=- class=metadata findings=- tx
ALTER TABLE events ATTACH PARTITION events_2026
	FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');

-- expect: lock=events:AccessExclusiveLock,events_2023:AccessExclusiveLock
-- expect: scan=- class=metadata findings=- tx
ALTER TABLE events DETACH PARTITION events_2023;

-- The first of its two transactions takes SHARE UPDATE EXCLUSIVE on both;
-- the second waits for ACCESS EXCLUSIVE on the partition.
-- expect: lock=events:ShareUpdateExclusiveLock,events_2024:AccessExclusiveLock
-- expect: scan=- class=metadata findings=- notx
ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;

-- expect: lock=events:AccessExclusiveLock class=metadata findings=- tx
CREATE TABLE events_2027 PARTITION OF events
	FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2028-01-01 00:00:00+00');

-- expect: lock=events_2023:AccessExclusiveLock class=metadata
-- expect: findings=drop-table tx
DROP TABLE events_2023;

-- CREATE INDEX on a partitioned table builds one index per partition,
-- each partition locked SHARE: the ones attached now.
-- expect: lock=events:ShareLock,events_2025:ShareLock,events_2026:ShareLock,events_2027:ShareLock
-- expect: rewrite=- scan=- class=index findings=index-not-concurrent tx
CREATE INDEX events_kind_idx ON events (kind);

-- The safe way: ON ONLY (nothing is built), then each partition
-- CONCURRENTLY, then ATTACH.
-- expect: lock=events:ShareLock build=- class=metadata findings=- tx
CREATE INDEX events_payload_idx ON ONLY events USING gin (payload);

-- expect: lock=events_2025:ShareUpdateExclusiveLock build=events_2025
-- expect: class=index findings=- notx
CREATE INDEX CONCURRENTLY events_2025_payload_idx
	ON events_2025 USING gin (payload);

-- The partition's index is locked ACCESS EXCLUSIVE for the catalog update.
-- expect: lock=events_payload_idx:ShareUpdateExclusiveLock,events_2025_payload_idx:AccessExclusiveLock,events:AccessShareLock,events_2025:AccessShareLock
-- expect: class=metadata findings=- tx
ALTER INDEX events_payload_idx ATTACH PARTITION events_2025_payload_idx;
