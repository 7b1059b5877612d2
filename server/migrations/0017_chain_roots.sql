-- The daily signed statements over every file's record chain (xiafang_core::roots, issue 19),
-- numbered without gaps, each naming the one before it.
CREATE TABLE chain_roots (
    seq BIGINT PRIMARY KEY,
    day TEXT NOT NULL,
    feed_seq BIGINT NOT NULL,
    files BIGINT NOT NULL,
    root TEXT NOT NULL,
    previous TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature TEXT NOT NULL,
    published_at TEXT NOT NULL
);
-- The heads each statement covers that changed since the statement before it: with the earlier
-- ones they give every leaf of its tree, so `verify` can name the file that no longer matches
-- and the last statement it matched (the leaves are checked against the signed root first).
CREATE TABLE chain_root_heads (
    seq BIGINT NOT NULL REFERENCES chain_roots(seq),
    file_id TEXT NOT NULL,
    length BIGINT NOT NULL,
    head TEXT NOT NULL,
    PRIMARY KEY (seq, file_id)
);
