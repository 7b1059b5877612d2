-- A session is bound to the phone it was issued to: the public half of the ECDSA P-256 key the
-- phone made at sign-in (uncompressed SEC1 point, base64url). Every request of the session must
-- carry a signature by that key; sessions without one (from before this change) open nothing.
ALTER TABLE sessions ADD COLUMN device_key TEXT;
