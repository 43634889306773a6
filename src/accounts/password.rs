//! Passwords: argon2id hashes, computed on a blocking thread. The cost comes from the
//! configuration; production keeps the argon2id defaults (19 MiB, t = 2), tests lower it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use super::AccountError;

/// Shortest and longest accepted password, in characters.
pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 1024;

/// A password as typed; never printed.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// A password for a new account or a reset: checked for length only.
    pub fn new_checked(s: &str) -> Result<Password, String> {
        let n = s.chars().count();
        if n < MIN_LEN {
            return Err(format!(
                "the password must have at least {MIN_LEN} characters"
            ));
        }
        if n > MAX_LEN {
            return Err(format!(
                "the password must have at most {MAX_LEN} characters"
            ));
        }
        Ok(Password(s.to_string()))
    }

    /// A password offered at sign-in: any length, cut to the maximum.
    pub fn offered(s: &str) -> Password {
        Password(s.chars().take(MAX_LEN).collect())
    }
}

/// How long a sign-in may wait for a free hashing slot before it is turned away (503).
const QUEUE_WAIT: Duration = Duration::from_secs(3);

/// Hashes and verifies passwords with fixed argon2id parameters. At most `permits`
/// hashes run at once, each in one of as many reused memory buffers (argon2's 19 MiB is
/// allocated once per slot, not per attempt, so a burst of sign-ins cannot grow the heap);
/// the rest wait briefly in line, then are refused with [`AccountError::Busy`].
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A hash of a random password, verified against for unknown addresses so that they
    /// take as long as known ones.
    dummy: Arc<String>,
    slots: Arc<Semaphore>,
    /// Memory buffers free for the next hash; never more than there are slots.
    buffers: Arc<Mutex<Vec<Vec<Block>>>>,
    permits: usize,
}

/// Hashing slots for this machine: one per core, but no more than a sixteenth of the
/// memory holds (19 MiB each by default); at least one.
pub fn default_permits(memory_kib: u32) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(1024 * 1024);
    let by_memory = (total_kib / 16 / u64::from(memory_kib.max(1))) as usize;
    cores.min(by_memory).max(1)
}

impl Hasher {
    /// `memory_kib` and `iterations` as configured (argon2id, one lane), with slots sized
    /// from this machine's cores and memory.
    pub fn new(memory_kib: u32, iterations: u32) -> anyhow::Result<Hasher> {
        Hasher::with_permits(memory_kib, iterations, default_permits(memory_kib))
    }

    /// [`Hasher::new`] with `permits` hashes at most at once.
    pub fn with_permits(
        memory_kib: u32,
        iterations: u32,
        permits: usize,
    ) -> anyhow::Result<Hasher> {
        let params = Params::new(memory_kib, iterations, 1, Some(32))
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy = argon
            .hash_password(super::tokens::random_token().as_bytes())
            .map_err(|e| anyhow::anyhow!("hashing: {e}"))?
            .to_string();
        let permits = permits.max(1);
        Ok(Hasher {
            params,
            dummy: Arc::new(dummy),
            slots: Arc::new(Semaphore::new(permits)),
            buffers: Arc::new(Mutex::new(Vec::with_capacity(permits))),
            permits,
        })
    }

    /// How many hashes may run at once.
    pub fn permits(&self) -> usize {
        self.permits
    }

    /// Runs `work` on a blocking thread with a slot and a memory buffer of `blocks` blocks,
    /// after waiting at most [`QUEUE_WAIT`] for the slot.
    async fn run<T: Send + 'static>(
        &self,
        blocks: usize,
        work: impl FnOnce(&mut [Block]) -> T + Send + 'static,
    ) -> Result<T, AccountError> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| AccountError::Busy)?
            .map_err(|_| AccountError::Busy)?;
        let buffers = self.buffers.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut buffer = lock(&buffers).pop().unwrap_or_default();
            if buffer.len() < blocks {
                buffer = vec![Block::default(); blocks];
            }
            let out = work(&mut buffer[..blocks]);
            lock(&buffers).push(buffer);
            out
        })
        .await
        .context("password hashing task")
        .map_err(AccountError::Internal)
    }

    /// The PHC string of `password`, computed off the async runtime.
    pub async fn hash(&self, password: &Password) -> Result<String, AccountError> {
        let params = self.params.clone();
        let pw = password.0.clone();
        let mut salt = [0u8; 16];
        rand::Rng::fill(&mut rand::rng(), &mut salt[..]);
        self.run(params.block_count(), move |memory| {
            let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
            let mut out = [0u8; 32];
            argon
                .hash_password_into_with_memory(pw.as_bytes(), &salt, &mut out, memory)
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
            let phc = PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params)
                    .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
                salt: Some(Salt::new(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
                hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
            };
            Ok::<_, anyhow::Error>(phc.to_string())
        })
        .await?
        .map_err(AccountError::Internal)
    }

    /// Whether `password` matches `stored`; with `None` (unknown account or no password)
    /// a dummy hash is checked so the answer takes the same time, and false is returned.
    /// An unreadable stored hash never matches.
    pub async fn verify(
        &self,
        password: &Password,
        stored: Option<&str>,
    ) -> Result<bool, AccountError> {
        let real = stored.is_some();
        let text = stored.unwrap_or(self.dummy.as_str());
        let Some(check) = Check::parse(text) else {
            return Ok(false);
        };
        let pw = password.0.clone();
        let ok = self
            .run(check.params.block_count(), move |memory| {
                check.matches(&pw, memory)
            })
            .await?;
        Ok(ok && real)
    }
}

/// A stored argon2 hash taken apart for checking.
struct Check {
    algorithm: Algorithm,
    version: Version,
    params: Params,
    salt: Vec<u8>,
    expected: Output,
}

impl Check {
    /// The parts of a PHC string, or `None` when it is not an argon2 hash we can check
    /// (the memory cost is capped: a stored hash cannot make a sign-in take gigabytes).
    fn parse(text: &str) -> Option<Check> {
        let phc = PasswordHash::new(text).ok()?;
        let algorithm = Algorithm::try_from(phc.algorithm.as_str()).ok()?;
        let version = match phc.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&phc).ok()?;
        if params.m_cost() > 1024 * 1024 {
            return None;
        }
        Some(Check {
            algorithm,
            version,
            params,
            salt: phc.salt?.as_ref().to_vec(),
            expected: phc.hash?,
        })
    }

    fn matches(&self, password: &str, memory: &mut [Block]) -> bool {
        let argon = Argon2::new(self.algorithm, self.version, self.params.clone());
        let mut out = vec![0u8; self.expected.len()];
        argon
            .hash_password_into_with_memory(password.as_bytes(), &self.salt, &mut out, memory)
            .is_ok()
            && Output::new(&out).is_ok_and(|o| o == self.expected)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = Hasher::new(64, 1).expect("params");
        let pw = Password::new_checked("correct horse").expect("long enough");
        let stored = h.hash(&pw).await.expect("hash");
        assert!(
            stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
            "{stored}"
        );
        assert!(!stored.contains("correct horse"));
        let verify = |pw: Password, stored: Option<String>| {
            let h = h.clone();
            async move { h.verify(&pw, stored.as_deref()).await.expect("verify") }
        };
        assert!(verify(pw.clone(), Some(stored.clone())).await);
        assert!(!verify(Password::offered("wrong horse"), Some(stored.clone())).await);
        assert!(!verify(pw.clone(), None).await);
        assert!(!verify(pw.clone(), Some("not a hash".into())).await);
        // Hashes made by the argon2 crate itself (other parameters) still verify.
        let other = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(128, 2, 1, Some(32)).expect("params"),
        )
        .hash_password(b"correct horse")
        .expect("hash")
        .to_string();
        assert!(verify(pw.clone(), Some(other.clone())).await);
        assert!(!verify(Password::offered("wrong"), Some(other)).await);
        assert_eq!(format!("{pw:?}"), "Password(***)");
    }

    #[tokio::test]
    async fn hashes_beyond_the_slots_wait_then_are_turned_away() {
        let h = Hasher::with_permits(64, 1, 1).expect("params");
        assert_eq!(h.permits(), 1);
        let held = h.slots.clone().acquire_owned().await.expect("slot");
        let pw = Password::offered("whatever");
        let t = std::time::Instant::now();
        assert!(matches!(h.verify(&pw, None).await, Err(AccountError::Busy)));
        assert!(t.elapsed() >= QUEUE_WAIT);
        drop(held);
        assert!(!h.verify(&pw, None).await.expect("a free slot"));
        assert!(lock(&h.buffers).len() <= 1, "one buffer per slot");
    }

    #[test]
    fn length_rules() {
        assert!(Password::new_checked("short").is_err());
        assert!(Password::new_checked(&"x".repeat(MAX_LEN + 1)).is_err());
        assert!(Password::new_checked("كلمة سر طويلة").is_ok());
    }
}
