-- What a lost phone hands over is kept per record, not per operation number: a slot
-- (device, seq) that already holds one record must not swallow another (a phone whose storage
-- was wiped numbers its operations from 1 again), and the same record handed over twice is kept
-- once. SQLite cannot change a primary key in place, so the table is rebuilt.
CREATE TABLE quarantine_by_record (
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    -- The account whose session handed it over: the last to sign in on the phone.
    account_id TEXT NOT NULL REFERENCES accounts(id),
    record_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    -- The Record as judged (account names set by the server); it enters the file only if a
    -- supervisor accepts it.
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- 'accepted' or 'rejected' once reviewed.
    decision TEXT,
    reviewed_by TEXT REFERENCES accounts(id),
    reviewed_at TEXT,
    PRIMARY KEY (device_id, record_id)
);

INSERT INTO quarantine_by_record (device_id, seq, account_id, record_id, file_id, body,
    received_at, decision, reviewed_by, reviewed_at)
SELECT device_id, seq, account_id, record_id, file_id, body, received_at, decision, reviewed_by,
    reviewed_at FROM quarantine WHERE true ORDER BY device_id, seq
ON CONFLICT (device_id, record_id) DO NOTHING;

DROP TABLE quarantine;
ALTER TABLE quarantine_by_record RENAME TO quarantine;
CREATE INDEX quarantine_waiting ON quarantine (file_id) WHERE decision IS NULL;
