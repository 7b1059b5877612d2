-- The places under a place, for `readable()`'s candidate files (server/src/db/files.rs): an
-- account's villages are found level by level through this index instead of by testing every
-- place of the deployment, which a province holds tens of thousands of.
CREATE INDEX places_by_parent ON places (parent_id);
