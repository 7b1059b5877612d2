//! Passwords and session tokens. Passwords are kept as argon2id hashes; a session token is 256
//! random bits given to the phone once, and the server keeps only its SHA-256.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// How long a phone stays signed in without contacting the server again.
pub const SESSION_DAYS: i64 = xiafang_core::session::SESSION_DAYS;

pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Password checks and hashing off the async workers. Argon2id takes a good part of a CPU-second
/// and 19 MiB per call; on a worker thread a flood of sign-ins with random names would stall
/// every other request. Here at most `running` run at once on tokio's blocking threads, at most
/// `waiting` more wait their turn, and beyond that a sign-in is answered "busy" at once instead
/// of queueing without bound.
pub struct PasswordPool {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

/// More checks waiting than this answer "busy": at a fraction of a second each, a queue this
/// long is already a few seconds of waiting for the last of them.
const MAX_WAITING: usize = 32;

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    #[error("too many password checks waiting")]
    Busy,
    #[error("password check did not finish: {0}")]
    Failed(#[from] tokio::task::JoinError),
}

impl PasswordPool {
    pub fn new(running: usize, waiting: usize) -> Self {
        PasswordPool {
            admitted: Arc::new(Semaphore::new(running + waiting)),
            running: Arc::new(Semaphore::new(running)),
        }
    }

    /// Half the machine's cores for hashing (at least one), so requests keep the rest.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new((cores / 2).max(1), MAX_WAITING)
    }

    /// Whether `password` matches `hash`. Without a hash (an unknown name) a real hash is
    /// checked all the same, so timing does not reveal which names exist.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, PoolError> {
        self.run(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                // No account: whatever the dummy check says, the answer is no.
                verify_password(&password, dummy_hash());
                false
            }
        })
        .await
    }

    pub async fn hash(&self, password: String) -> Result<Result<String, String>, PoolError> {
        self.run(move || hash_password(&password)).await
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| PoolError::Busy)?;
        // The semaphores are never closed, so acquiring can only wait.
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Busy)?;
        // The permits move into the job: a request dropped mid-way (the phone gave up) still
        // holds its place until its hash is done, so no more than `running` ever run.
        Ok(tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            job()
        })
        .await?)
    }
}

/// A real argon2id hash of a random password nobody knows, made once per process.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let (random, _) = new_token();
        hash_password(&random).unwrap_or_default()
    })
}

/// A new bearer token and the hash to store for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_verifies_only_itself() {
        let hash = hash_password("xiafang2026").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("xiafang2026", &hash));
        assert!(!verify_password("xiafang2027", &hash));
        assert!(!verify_password("xiafang2026", "not a hash"));
    }

    #[tokio::test]
    async fn checks_beyond_the_waiting_room_are_answered_busy_at_once() {
        let pool = PasswordPool::new(1, 0);
        let hash = hash_password("xiafang2026").unwrap();
        assert!(
            pool.verify("xiafang2026".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!pool.verify("xiafang2026".into(), None).await.unwrap());
        // Someone else's check holds the only place.
        let _taken = pool.admitted.clone().try_acquire_owned().unwrap();
        assert!(matches!(
            pool.verify("xiafang2026".into(), Some(hash)).await,
            Err(PoolError::Busy)
        ));
    }

    #[test]
    fn tokens_are_unique_and_only_their_hash_matches() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
    }
}
