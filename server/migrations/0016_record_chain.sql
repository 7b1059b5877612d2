-- Each record's link in its file's hash chain (xiafang_core::chain, issue 19): the SHA-256, in
-- hex, over the previous link of the same file and the record's canonical form, in the order
-- the server stored the file's records (feed_seq). Rows stored before this migration are linked
-- at the next start (Db::link_unchained), in that same order.
ALTER TABLE records ADD COLUMN chain_hash TEXT;
CREATE INDEX records_chain ON records (file_id, feed_seq);
