-- Editable fields of a file merge one by one (xiafang_core::file_edit): the edit that set each
-- field's current value, and the values that lost to a concurrent edit, for supervisors.
CREATE TABLE file_fields (
    file_id TEXT NOT NULL REFERENCES files(id),
    field TEXT NOT NULL,
    -- xiafang_core::file_edit::Register as JSON.
    register TEXT NOT NULL,
    PRIMARY KEY (file_id, field)
);

CREATE TABLE file_conflicts (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES files(id),
    field TEXT NOT NULL,
    kept_value TEXT NOT NULL,
    lost_value TEXT NOT NULL,
    -- The edit record that proposed the lost value, when there was one.
    lost_record_id TEXT,
    -- The edit record whose arrival decided it.
    decided_by TEXT NOT NULL REFERENCES records(id),
    at TEXT NOT NULL
);
CREATE INDEX file_conflicts_by_file ON file_conflicts (file_id);
