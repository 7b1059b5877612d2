-- Whom a file's accusation names (xiafang_core::file::Accused), kept beside the file's JSON so
-- every query can refuse the file to the accused account and to every account of an accused
-- place, whatever else would let them read it.
CREATE TABLE file_accused (
    file_id TEXT NOT NULL REFERENCES files(id),
    account_id TEXT REFERENCES accounts(id),
    place_id TEXT REFERENCES places(id)
);
CREATE INDEX file_accused_by_file ON file_accused (file_id);
