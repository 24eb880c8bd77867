//! Password hashing: argon2id (m = 19 MiB, t = 2, p = 1), off the async runtime,
//! at most one hash per core at a time behind a short queue: 200 log-ins at once
//! would otherwise take 200 × 19 MiB, and beyond the queue a client is told to
//! come back (503 with Retry-After) instead of waiting for seconds.

use crate::errors::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    OnceLock,
};
use tokio::sync::Semaphore;

/// Admission to the password hashers, one per server.
#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
    slots: usize,
    /// Running or waiting right now.
    admitted: AtomicUsize,
    /// Running or waiting at most.
    capacity: usize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
}

impl Default for Gate {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // Waiting costs no hashing memory; the queue only bounds how long a reader waits.
        Self::new(cores, cores * 32)
    }
}

struct Admitted<'a>(&'a Gate);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gate {
    /// `slots` hashes at once, `queue` more waiting.
    pub fn new(slots: usize, queue: usize) -> Self {
        Self {
            permits: Semaphore::new(slots),
            slots,
            admitted: AtomicUsize::new(0),
            capacity: slots + queue,
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
        }
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// The most hashes that ever ran at once.
    pub fn peak_running(&self) -> usize {
        self.peak_running.load(Ordering::Acquire)
    }

    /// Runs `work` on the blocking pool once a slot is free; refuses at once
    /// when the queue is full.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        if self.admitted.fetch_add(1, Ordering::AcqRel) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::AcqRel);
            tracing::warn!("password hashers busy: request refused");
            return Err(AppError::Unavailable {
                message: "Spotlight is very busy right now. Please try again in a few seconds.".into(),
                retry_after_secs: 2,
            });
        }
        let _admitted = Admitted(self);
        let _permit = self.permits.acquire().await.map_err(|_| AppError::Internal)?;
        let running = self.running.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak_running.fetch_max(running, Ordering::AcqRel);
        let result = tokio::task::spawn_blocking(work).await;
        self.running.fetch_sub(1, Ordering::AcqRel);
        result.map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(gate: &Gate, password: String) -> Result<String, AppError> {
    gate.run(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// A hash of nothing anyone knows: verifying against it costs the same as a real check,
/// so a login for an unknown user takes as long as one with a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(b"no such user, no such password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// True when `password` matches `stored`; with `stored = None`, checks a dummy and fails.
pub async fn verify(gate: &Gate, password: String, stored: Option<String>) -> Result<bool, AppError> {
    gate.run(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        argon2().verify_password(password.as_bytes(), &parsed).is_ok() && known
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let gate = Gate::default();
        let h = hash(&gate, "harbour-lantern-92".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&gate, "harbour-lantern-92".into(), Some(h.clone())).await.unwrap());
        assert!(!verify(&gate, "wrong-password".into(), Some(h)).await.unwrap());
        assert!(!verify(&gate, "no such user, no such password".into(), None).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_full_gate_runs_one_per_slot_and_refuses_beyond_its_queue() {
        let gate = std::sync::Arc::new(Gate::new(2, 3));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let gate = gate.clone();
                tokio::spawn(async move { verify(&gate, "guess".into(), None).await })
            })
            .collect();
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(ok) => assert!(!ok),
                Err(AppError::Unavailable { retry_after_secs, .. }) => {
                    assert!(retry_after_secs >= 1);
                    refused += 1;
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert!(gate.peak_running() <= 2, "{} hashes ran at once", gate.peak_running());
        assert!(refused >= 10, "only {refused} of 20 were refused with 5 places");
    }
}
