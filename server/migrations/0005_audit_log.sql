-- Who read, created, amended, voided, edited, exported or reviewed which file, from which
-- device, when. Only ever inserted into: the app has no way to change or delete a row.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    device_id TEXT,
    action TEXT NOT NULL,
    file_id TEXT NOT NULL REFERENCES files(id),
    record_id TEXT
);
CREATE INDEX audit_log_by_file ON audit_log (file_id, at);
