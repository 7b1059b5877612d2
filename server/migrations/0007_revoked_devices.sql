-- A lost phone: an administrator revokes its device id. Sessions remember the device they were
-- signed in from, so a revoked phone's sessions stop working for everything but handing over
-- what it had not uploaded; that goes to quarantine for a supervisor to review.
ALTER TABLE sessions ADD COLUMN device_id TEXT;

CREATE TABLE revoked_devices (
    device_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    revoked_by TEXT NOT NULL REFERENCES accounts(id),
    revoked_at TEXT NOT NULL
);

CREATE TABLE quarantine (
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    record_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    -- The Record as the phone sent it; it enters the file only if a supervisor accepts it.
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- 'accepted' or 'rejected' once reviewed.
    decision TEXT,
    reviewed_by TEXT REFERENCES accounts(id),
    reviewed_at TEXT,
    PRIMARY KEY (device_id, seq)
);
