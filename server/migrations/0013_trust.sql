-- Sign-in attempts, counted in the database before a password is checked, so the limit holds
-- for guesses sent in parallel, across restarts and across several server processes sharing the
-- database (server/src/db/sign_in.rs). One row is one window of attempts at a name: `attempts`
-- since `window_start` (Unix seconds). `device_id` is '' for the name's own counter, or the id
-- of a phone the account already signed in from, which has a counter of its own so that the
-- owner still gets in while strangers have locked the name. Rows of past windows are pruned.
CREATE TABLE sign_in_attempts (
    name TEXT NOT NULL,
    device_id TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    PRIMARY KEY (name, device_id)
);
CREATE INDEX sign_in_attempts_by_start ON sign_in_attempts (window_start);

-- Photos: an upload under way belongs to its uploader. Whoever knows a record's image hash could
-- otherwise start "its" upload with a wrong size and block the real phone. Each uploader appends
-- to its own copy (`blob_uploads`, its pieces in `blob_parts` under its id); a copy that is
-- complete and hashes to its name becomes the blob (`blobs`, its pieces under uploader ''), kept
-- once, and every uploader of those bytes becomes one of its owners (`blob_owners`).
CREATE TABLE blob_uploads (
    sha256 TEXT NOT NULL,
    uploader_id TEXT NOT NULL REFERENCES accounts(id),
    size BIGINT NOT NULL,
    mime TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    -- When the last piece arrived: an upload left untouched for long is given up.
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, uploader_id)
);
CREATE INDEX blob_uploads_by_uploader ON blob_uploads (uploader_id);

CREATE TABLE blob_owners (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (sha256, account_id)
);
CREATE INDEX blob_owners_by_account ON blob_owners (account_id);

-- The pieces, now per copy: '' for a complete blob's, an account id for that uploader's own.
CREATE TABLE blob_parts_by_copy (
    sha256 TEXT NOT NULL,
    uploader_id TEXT NOT NULL,
    byte_offset BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (sha256, uploader_id, byte_offset)
);
INSERT INTO blob_uploads (sha256, uploader_id, size, mime, received, created_at, updated_at)
    SELECT sha256, uploader_id, size, mime, received, created_at, updated_at
    FROM blobs WHERE complete = 0;
INSERT INTO blob_parts_by_copy (sha256, uploader_id, byte_offset, data)
    SELECT p.sha256, CASE WHEN b.complete = 1 THEN '' ELSE b.uploader_id END, p.byte_offset, p.data
    FROM blob_parts p JOIN blobs b ON b.sha256 = p.sha256;
DROP TABLE blob_parts;
ALTER TABLE blob_parts_by_copy RENAME TO blob_parts;
-- `blobs` now holds complete blobs only; `uploader_id` stays as the first to complete it.
DELETE FROM blobs WHERE complete = 0;
INSERT INTO blob_owners (sha256, account_id) SELECT sha256, uploader_id FROM blobs;

-- A voided photo's record still names it: it is no longer shown to the file's readers, but it is
-- not an orphan to clean up either (`record_blobs` rows were deleted on a void before).
ALTER TABLE record_blobs ADD COLUMN voided INTEGER NOT NULL DEFAULT 0;
CREATE INDEX blobs_by_updated ON blobs (updated_at);
