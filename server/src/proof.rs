//! The proof that a request comes from the phone its session was issued to: a signature by the
//! ECDSA P-256 key the phone made at sign-in (its private half never leaves the phone's Web
//! Crypto), over `xiafang_core::session::proof_message`. A token copied off the phone is useless
//! without it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use xiafang_core::session::{PROOF_WINDOW_SECS, proof_message};

/// Why a request's proof was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The session has no key (made before sessions were bound to phones): it opens nothing.
    #[error("session not bound to a phone key")]
    Unbound,
    #[error("no proof")]
    Missing,
    #[error("malformed proof")]
    Malformed,
    /// Signed too far from the server's time: the phone's clock is off (or the proof is old).
    #[error("stale proof")]
    Stale,
    /// Not a signature by the session's key over this method, path and time.
    #[error("proof does not verify")]
    Invalid,
}

/// The phone's public key as it sends it at sign-in (the uncompressed SEC1 point, base64url),
/// checked to be a point on the curve.
pub fn public_key(encoded: &str) -> Option<VerifyingKey> {
    let bytes = URL_SAFE_NO_PAD.decode(encoded.trim()).ok()?;
    VerifyingKey::from_sec1_bytes(&bytes).ok()
}

/// The key in the form the server stores it, whatever base64url padding the phone used.
pub fn stored_form(key: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(key.to_encoded_point(false).as_bytes())
}

/// Checks `header` (`<unix seconds>.<base64url P1363 signature>`) against the session's stored
/// key for `method path_and_query` at server time `now`.
pub fn check(
    stored_key: Option<&str>,
    method: &str,
    path_and_query: &str,
    header: Option<&str>,
    now: i64,
) -> Result<(), ProofError> {
    let key = public_key(stored_key.ok_or(ProofError::Unbound)?).ok_or(ProofError::Unbound)?;
    let (at, signature) = header
        .ok_or(ProofError::Missing)?
        .trim()
        .split_once('.')
        .ok_or(ProofError::Malformed)?;
    let at: i64 = at.parse().map_err(|_| ProofError::Malformed)?;
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(ProofError::Malformed)?;
    // Verified before the time is judged, so "stale" is only ever said to the key's owner:
    // nobody else learns from it that the token is live.
    key.verify(
        proof_message(method, path_and_query, at).as_bytes(),
        &signature,
    )
    .map_err(|_| ProofError::Invalid)?;
    if (now - at).abs() > PROOF_WINDOW_SECS {
        return Err(ProofError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer;

    fn sign(key: &SigningKey, method: &str, path: &str, at: i64) -> String {
        let signature: Signature = key.sign(proof_message(method, path, at).as_bytes());
        format!("{at}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    #[test]
    fn only_a_fresh_signature_by_the_sessions_key_over_this_request_passes() {
        let key = SigningKey::random(&mut rand::rngs::OsRng);
        let stored = stored_form(key.verifying_key());
        let now = 1_800_000_000;
        let ok = sign(&key, "GET", "/api/me", now);
        assert_eq!(
            check(Some(&stored), "GET", "/api/me", Some(&ok), now),
            Ok(())
        );
        let skewed = sign(&key, "GET", "/api/me", now - PROOF_WINDOW_SECS);
        assert_eq!(
            check(Some(&stored), "GET", "/api/me", Some(&skewed), now),
            Ok(())
        );
        let stale = sign(&key, "GET", "/api/me", now - PROOF_WINDOW_SECS - 1);
        assert_eq!(
            check(Some(&stored), "GET", "/api/me", Some(&stale), now),
            Err(ProofError::Stale)
        );
        assert_eq!(
            check(Some(&stored), "GET", "/api/me?x=1", Some(&ok), now),
            Err(ProofError::Invalid)
        );
        assert_eq!(
            check(None, "GET", "/api/me", Some(&ok), now),
            Err(ProofError::Unbound)
        );
        assert_eq!(
            check(Some(&stored), "GET", "/api/me", None, now),
            Err(ProofError::Missing)
        );
        let other = SigningKey::random(&mut rand::rngs::OsRng);
        let forged = sign(&other, "GET", "/api/me", now);
        assert_eq!(
            check(Some(&stored), "GET", "/api/me", Some(&forged), now),
            Err(ProofError::Invalid)
        );
    }
}
