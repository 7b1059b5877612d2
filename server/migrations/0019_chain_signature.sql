-- Which algorithm signed each chain statement (issue 19): 'ed25519' or 'sm2', the deployment's
-- choice (--chain-signature). Statements published before this migration were all Ed25519.
ALTER TABLE chain_roots ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'ed25519';
