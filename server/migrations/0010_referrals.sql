-- The legal team members each file is currently referred to: derived from the file's `Referral`
-- records (those neither voided nor amended away, `xiafang_core::legal::current_referrals`) and
-- rewritten whenever one of them or a void is stored. A team member reads a referred file only
-- when it lies in one of their villages (`legal_villages`).
CREATE TABLE referrals (
    file_id TEXT NOT NULL REFERENCES files(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (file_id, account_id)
);
CREATE INDEX referrals_by_account ON referrals (account_id);
