-- The villages each legal team member serves (包联村社), set by an administrator.
CREATE TABLE legal_villages (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    village_id TEXT NOT NULL REFERENCES places(id),
    PRIMARY KEY (account_id, village_id)
);
