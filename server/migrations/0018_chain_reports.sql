-- What phones found when they checked a file's chain against their own copy (issue 19): one
-- row per report, kept for the file's supervisors. The phone makes the id, so a report sent
-- again after a lost answer is kept once.
CREATE TABLE chain_reports (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES files(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    received_at TEXT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX chain_reports_by_file ON chain_reports (file_id, received_at);
