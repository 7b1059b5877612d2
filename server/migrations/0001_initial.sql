-- Written in the SQL that SQLite and PostgreSQL share: both run these same files.
-- Places form the jurisdiction tree: county -> township -> village.
CREATE TABLE places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('county', 'township', 'village')),
    parent_id TEXT REFERENCES places(id)
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    place_id TEXT NOT NULL REFERENCES places(id),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);

-- Only a hash of the bearer token is kept, so a copy of the database cannot sign anyone in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE files (
    id TEXT PRIMARY KEY,
    village_id TEXT NOT NULL REFERENCES places(id),
    name TEXT NOT NULL,
    -- The PetitionerFile as JSON (xiafang_core::PetitionerFile).
    data TEXT NOT NULL
);

CREATE TABLE assignments (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    file_id TEXT NOT NULL REFERENCES files(id),
    PRIMARY KEY (account_id, file_id)
);

-- The ledger of records; a record is stored once under the id the phone gave it.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES files(id),
    author_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    -- The Record as JSON (xiafang_core::Record), exactly as validated.
    body TEXT NOT NULL,
    device_id TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX records_by_file ON records (file_id, occurred_at);

-- Every upload operation seen, with the outcome it got, so a repeat gets the same answer.
CREATE TABLE device_ops (
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    record_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
