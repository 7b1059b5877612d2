-- 矛盾纠纷排查 belongs to a place, not to a petitioner. Each place gets a screening ledger: a row
-- of `files` marked `ledger = 1` (id `screening-<level>-<place id>`, `village_id` the place itself,
-- whatever its level), created by the server for every place (`db/screening.rs`). Screenings are
-- ordinary records on it, so they travel through the same upload judge, `records` table and
-- change feed as everything else. Every query that hands out petitioners' files leaves ledgers
-- out (`f.ledger = 0`); `readable()` counts the cadres of a village or its township as assigned
-- to the village's ledger. A new column is portable where widening `places.kind`'s CHECK is not.
ALTER TABLE files ADD COLUMN ledger INTEGER NOT NULL DEFAULT 0;

-- 村民小组: where a county divides villages into villager groups. A group is named within its
-- village; jurisdiction, ledgers and accounts stay with the village.
CREATE TABLE villager_groups (
    village_id TEXT NOT NULL REFERENCES places(id),
    name TEXT NOT NULL,
    PRIMARY KEY (village_id, name)
);
