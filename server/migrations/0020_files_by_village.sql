-- The files of a village (and whether they are its screening ledger), for `readable()`'s first
-- step: the candidate files of an account come from its assignments, its referrals and the
-- villages under its place, each through an index, instead of testing every file's row.
CREATE INDEX files_by_village ON files (village_id, ledger);
