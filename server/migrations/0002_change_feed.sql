-- The change feed. Every stored record and every change of a file takes the next position from
-- `feed_head`; phones pull "what changed after position N". The position is taken by updating
-- the single head row inside the writing transaction, so writers take turns and positions become
-- visible in order: a reader can never see position N+1 before N (no change skipped).
CREATE TABLE feed_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);

ALTER TABLE files ADD COLUMN feed_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN feed_seq BIGINT NOT NULL DEFAULT 0;

-- Existing rows get positions in a stable order: files first, then records as received.
UPDATE files SET feed_seq = (SELECT COUNT(*) FROM files f2 WHERE f2.id <= files.id);
UPDATE records SET feed_seq = (SELECT COUNT(*) FROM files) +
    (SELECT COUNT(*) FROM records r2
     WHERE r2.received_at < records.received_at
        OR (r2.received_at = records.received_at AND r2.id <= records.id));
INSERT INTO feed_head (id, seq) VALUES (1, (SELECT COUNT(*) FROM files) + (SELECT COUNT(*) FROM records));

CREATE UNIQUE INDEX files_by_feed ON files (feed_seq);
CREATE UNIQUE INDEX records_by_feed ON records (feed_seq);

-- Each phone (browser profile) that uploads: the last operation applied for it, and how far its
-- clock was from the server's when it last sent (shown to supervisors; never used for order).
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    last_seq BIGINT NOT NULL,
    last_seen TEXT NOT NULL,
    clock_skew_ms BIGINT NOT NULL
);
