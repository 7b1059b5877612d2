-- Each phone keeps a second copy of its data key, wrapped by a secret only the server holds and
-- hands out with a password sign-in from that phone, for that account. When wrong PINs lock the
-- phone it deletes its PIN-wrapped copy; only this secret (an online sign-in) opens the data
-- again. A revoked device never gets it.
CREATE TABLE device_keys (
    device_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    -- 32 random bytes, base64.
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (device_id, account_id)
);
