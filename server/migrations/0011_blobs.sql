-- Photos and signatures (xiafang_core::attachment), uploaded by phones piece by piece over bad
-- links, named by the SHA-256 of their content. A blob becomes complete (readable) only once
-- every byte arrived and the content hashes to its name.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    mime TEXT NOT NULL,
    -- Bytes stored so far: the offset the next piece must start at.
    received BIGINT NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    uploader_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    -- When the last piece arrived: an upload left untouched for long is given up.
    updated_at TEXT NOT NULL
);
CREATE INDEX blobs_by_uploader ON blobs (uploader_id, complete);

-- The pieces as they arrived. BYTEA is PostgreSQL's binary type; SQLite accepts the name and
-- keeps the bytes as a BLOB, and sqlx's `Any` driver reads both as bytes, so one schema serves.
-- ("offset" is a reserved word in PostgreSQL, hence byte_offset.)
CREATE TABLE blob_parts (
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    byte_offset BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (sha256, byte_offset)
);

-- Which record shows which blob. Records arrive before their photos over a slow link, so the
-- blob need not exist yet (no reference to `blobs`). Reading such a record's file lets one
-- download the blob.
CREATE TABLE record_blobs (
    record_id TEXT PRIMARY KEY REFERENCES records(id),
    file_id TEXT NOT NULL REFERENCES files(id),
    sha256 TEXT NOT NULL
);
CREATE INDEX record_blobs_by_blob ON record_blobs (sha256);
