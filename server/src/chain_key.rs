//! The key the server signs its daily chain roots with (Ed25519, issue 19). It is kept outside
//! the database — a file, `XIAFANG_CHAIN_KEY_FILE` or `chain-signing.key` in the data directory,
//! readable only by the server's user — so whoever can rewrite the database cannot sign a root
//! that hides it. Made on first start; its public half is printed and served
//! (`GET /api/chain/roots`), and anyone checks a root with it alone.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use std::path::Path;

pub struct ChainKey {
    signing: SigningKey,
}

#[derive(Debug, thiserror::Error)]
pub enum ChainKeyError {
    #[error("chain signing key {path}: {why}")]
    File { path: String, why: String },
}

impl ChainKey {
    /// Reads the key at `path` (64 hex digits), or makes one there if there is no file.
    pub fn load_or_create(path: &Path) -> Result<ChainKey, ChainKeyError> {
        let fail = |why: String| ChainKeyError::File {
            path: path.display().to_string(),
            why,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| fail(e.to_string()))?;
                let secret: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| fail("not 32 bytes of hex".into()))?;
                Ok(ChainKey {
                    signing: SigningKey::from_bytes(&secret),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let signing = SigningKey::generate(&mut rand::rngs::OsRng);
                write_private(path, &hex::encode(signing.to_bytes())).map_err(fail)?;
                Ok(ChainKey { signing })
            }
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// The public key, 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }

    /// The signature of `message`, 128 hex digits.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.signing.sign(message).to_bytes())
    }
}

/// Whether `signature` (hex) is `public_key`'s (hex) signature of `message`.
pub fn signed_by(public_key: &str, message: &[u8], signature: &str) -> bool {
    let key = hex::decode(public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok());
    let signature = hex::decode(signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (key, signature) {
        (Some(key), Some(signature)) => key.verify(message, &signature).is_ok(),
        _ => false,
    }
}

/// Whether a published statement's signature verifies with the public key it names.
pub fn verifies(s: &xiafang_core::roots::SignedStatement) -> bool {
    signed_by(&s.public_key, &s.statement.statement_bytes(), &s.signature)
}

/// Creates `path` readable and writable by this user only, and writes `text` into it.
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| e.to_string())?;
    file.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())
}
