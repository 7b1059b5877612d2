//! The key the server signs its daily chain statements with (issue 19): Ed25519, or SM2 where
//! the deployment chooses the national algorithms (`--chain-signature sm2`, GB/T 39786). It is
//! kept outside the database — a file, `XIAFANG_CHAIN_KEY_FILE` or one per algorithm in the data
//! directory (`Config::chain_key_path`), readable only by the server's user — so whoever can
//! rewrite the database cannot sign a statement that hides it. Made on first start; anyone
//! checks a statement with its public key alone (`signed_by`).
//!
//! Files: an Ed25519 key is its 32-byte secret as 64 hex digits (as first deployed); an SM2 key
//! is `sm2:` and its 32-byte secret scalar in hex, so one is never read as the other.
//! SM2 signs per GB/T 32918.2 with SM3 and the default distinguishing ID `1234567812345678`
//! (GB/T 35276 / GM/T 0009); its public key is the uncompressed SEC1 point (130 hex digits) and
//! its signature r ‖ s (128 hex digits).

use ed25519_dalek::{Signer as _, Verifier as _};
use std::path::Path;
use xiafang_core::roots::{SignatureAlgorithm, SignedStatement};

/// The distinguishing ID SM2 signatures are made and checked with.
pub const SM2_DIST_ID: &str = "1234567812345678";

const SM2_PREFIX: &str = "sm2:";

/// Boxed: the keys are large and their sizes differ.
pub enum ChainKey {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Sm2(Box<sm2::dsa::SigningKey>),
}

#[derive(Debug, thiserror::Error)]
pub enum ChainKeyError {
    #[error("chain signing key {path}: {why}")]
    File { path: String, why: String },
}

impl ChainKey {
    /// Reads the Ed25519 key at `path`, or makes one there if there is no file.
    pub fn load_or_create(path: &Path) -> Result<ChainKey, ChainKeyError> {
        ChainKey::load_or_create_for(SignatureAlgorithm::Ed25519, path)
    }

    /// Reads the `algorithm` key at `path`, or makes one there if there is no file. A file
    /// holding a key of the other algorithm is refused, never reinterpreted.
    pub fn load_or_create_for(
        algorithm: SignatureAlgorithm,
        path: &Path,
    ) -> Result<ChainKey, ChainKeyError> {
        let fail = |why: String| ChainKeyError::File {
            path: path.display().to_string(),
            why,
        };
        match ChainKey::load(path)? {
            Some(key) if key.algorithm() == algorithm => Ok(key),
            Some(key) => Err(fail(format!(
                "it holds an {} key, but {} was chosen: give each algorithm its own file",
                key.algorithm().key(),
                algorithm.key()
            ))),
            None => {
                let key = match algorithm {
                    SignatureAlgorithm::Ed25519 => ChainKey::Ed25519(Box::new(
                        ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng),
                    )),
                    SignatureAlgorithm::Sm2 => {
                        let secret = sm2::SecretKey::random(&mut rand::rngs::OsRng);
                        ChainKey::Sm2(Box::new(
                            sm2::dsa::SigningKey::new(SM2_DIST_ID, &secret)
                                .map_err(|e| fail(e.to_string()))?,
                        ))
                    }
                };
                write_private(path, &key.file_text()).map_err(fail)?;
                Ok(key)
            }
        }
    }

    /// The key at `path`, of whichever algorithm it holds; `None` if there is no file.
    pub fn load(path: &Path) -> Result<Option<ChainKey>, ChainKeyError> {
        let fail = |why: String| ChainKeyError::File {
            path: path.display().to_string(),
            why,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(fail(e.to_string())),
        };
        let (sm2, hex_text) = match text.trim().strip_prefix(SM2_PREFIX) {
            Some(rest) => (true, rest),
            None => (false, text.trim()),
        };
        let bytes = hex::decode(hex_text).map_err(|e| fail(e.to_string()))?;
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|_| fail("not 32 bytes of hex".into()))?;
        if !sm2 {
            let key = ed25519_dalek::SigningKey::from_bytes(&secret);
            return Ok(Some(ChainKey::Ed25519(Box::new(key))));
        }
        let secret = sm2::SecretKey::from_slice(&secret).map_err(|e| fail(e.to_string()))?;
        let key =
            sm2::dsa::SigningKey::new(SM2_DIST_ID, &secret).map_err(|e| fail(e.to_string()))?;
        Ok(Some(ChainKey::Sm2(Box::new(key))))
    }

    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self {
            ChainKey::Ed25519(_) => SignatureAlgorithm::Ed25519,
            ChainKey::Sm2(_) => SignatureAlgorithm::Sm2,
        }
    }

    /// The public key in hex: 64 digits (Ed25519) or the uncompressed point, 130 (SM2).
    pub fn public_hex(&self) -> String {
        match self {
            ChainKey::Ed25519(k) => hex::encode(k.verifying_key().to_bytes()),
            ChainKey::Sm2(k) => hex::encode(k.verifying_key().to_sec1_bytes()),
        }
    }

    /// The signature of `message`, 128 hex digits.
    pub fn sign(&self, message: &[u8]) -> String {
        match self {
            ChainKey::Ed25519(k) => hex::encode(k.sign(message).to_bytes()),
            ChainKey::Sm2(k) => {
                let signature: sm2::dsa::Signature = k.sign(message);
                hex::encode(signature.to_bytes())
            }
        }
    }

    fn file_text(&self) -> String {
        match self {
            ChainKey::Ed25519(k) => hex::encode(k.to_bytes()),
            ChainKey::Sm2(k) => format!("{SM2_PREFIX}{}", hex::encode(k.to_bytes())),
        }
    }
}

/// Whether `signature` (hex) is `public_key`'s (hex) `algorithm` signature of `message`.
pub fn signed_by(
    algorithm: SignatureAlgorithm,
    public_key: &str,
    message: &[u8],
    signature: &str,
) -> bool {
    let (Ok(key), Ok(signature)) = (hex::decode(public_key), hex::decode(signature)) else {
        return false;
    };
    match algorithm {
        SignatureAlgorithm::Ed25519 => {
            let key = <[u8; 32]>::try_from(key)
                .ok()
                .and_then(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).ok());
            let signature = <[u8; 64]>::try_from(signature)
                .ok()
                .map(|b| ed25519_dalek::Signature::from_bytes(&b));
            match (key, signature) {
                (Some(key), Some(signature)) => key.verify(message, &signature).is_ok(),
                _ => false,
            }
        }
        SignatureAlgorithm::Sm2 => {
            let key = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DIST_ID, &key).ok();
            let signature = sm2::dsa::Signature::try_from(signature.as_slice()).ok();
            match (key, signature) {
                (Some(key), Some(signature)) => key.verify(message, &signature).is_ok(),
                _ => false,
            }
        }
    }
}

/// Whether a published statement's signature verifies with the public key it names.
pub fn verifies(s: &SignedStatement) -> bool {
    signed_by(
        s.algorithm,
        &s.public_key,
        &s.statement.statement_bytes(),
        &s.signature,
    )
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

/// Where the public keys a deployment replaced are listed, beside its key file: one hex key a
/// line. Public, like every statement; kept outside the database for the same reason the key is.
pub fn retired_path(key_file: &Path) -> std::path::PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".retired");
    name.into()
}

/// Adds `public_hex` to the keys `key_file` replaced (`--replace-chain-key`), so the statements
/// it signed still count as the deployment's.
pub fn retire(key_file: &Path, public_hex: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut list = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(retired_path(key_file))?;
    writeln!(list, "{public_hex}")
}

/// The public keys this deployment signs with or did: those of `key_files` and the keys each
/// replaced. `None` when no key file could be read (`verify` run by a user who may not read
/// them): then no one can tell whose key signed a statement.
pub fn trusted_public_keys(key_files: &[std::path::PathBuf]) -> Option<Vec<String>> {
    let mut keys = Vec::new();
    for file in key_files {
        let Ok(Some(key)) = ChainKey::load(file) else {
            continue;
        };
        keys.push(key.public_hex());
        if let Ok(text) = std::fs::read_to_string(retired_path(file)) {
            keys.extend(text.split_whitespace().map(str::to_owned));
        }
    }
    (!keys.is_empty()).then_some(keys)
}
