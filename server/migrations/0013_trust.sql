-- Sign-in attempts, counted in the database before a password is checked, so the limit holds
-- for guesses sent in parallel, across restarts and across several server processes sharing the
-- database (server/src/db/sign_in.rs). One row is one window of attempts at a name: `attempts`
-- since `window_start` (Unix seconds). `device_id` is '' for the name's own counter, or the id
-- of a phone the account already signed in from, which has a counter of its own so that the
-- owner still gets in while strangers have locked the name. Rows of past windows are pruned.
CREATE TABLE sign_in_attempts (
    name TEXT NOT NULL,
    device_id TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    PRIMARY KEY (name, device_id)
);
CREATE INDEX sign_in_attempts_by_start ON sign_in_attempts (window_start);
