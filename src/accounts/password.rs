//! Passwords: argon2id hashes, computed on a blocking thread. The cost comes from the
//! configuration; production keeps the argon2id defaults (19 MiB, t = 2), tests lower it.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

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

/// Hashes and verifies passwords with fixed argon2id parameters.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// A hash of a random password, verified against for unknown addresses so that they
    /// take as long as known ones.
    dummy: Arc<String>,
}

impl Hasher {
    /// `memory_kib` and `iterations` as configured (argon2id, one lane).
    pub fn new(memory_kib: u32, iterations: u32) -> anyhow::Result<Hasher> {
        let params = Params::new(memory_kib, iterations, 1, Some(32))
            .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy = argon
            .hash_password(super::tokens::random_token().as_bytes())
            .map_err(|e| anyhow::anyhow!("hashing: {e}"))?
            .to_string();
        Ok(Hasher {
            params,
            dummy: Arc::new(dummy),
        })
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string of `password`, computed off the async runtime.
    pub async fn hash(&self, password: &Password) -> anyhow::Result<String> {
        let argon = self.argon();
        let pw = password.0.clone();
        tokio::task::spawn_blocking(move || {
            argon
                .hash_password(pw.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
        })
        .await
        .context("password hashing task")?
    }

    /// Whether `password` matches `stored`; with `None` (unknown account or no password)
    /// a dummy hash is checked so the answer takes the same time, and false is returned.
    pub async fn verify(&self, password: &Password, stored: Option<&str>) -> bool {
        let (hash, real) = match stored {
            Some(h) => (h.to_string(), true),
            None => (self.dummy.as_ref().clone(), false),
        };
        let argon = self.argon();
        let pw = password.0.clone();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| argon.verify_password(pw.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false);
        ok && real
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = Hasher::new(64, 1).expect("params");
        let pw = Password::new_checked("correct horse").expect("long enough");
        let stored = h.hash(&pw).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("correct horse"));
        assert!(h.verify(&pw, Some(&stored)).await);
        assert!(
            !h.verify(&Password::offered("wrong horse"), Some(&stored))
                .await
        );
        assert!(!h.verify(&pw, None).await);
        assert!(!h.verify(&pw, Some("not a hash")).await);
        assert_eq!(format!("{pw:?}"), "Password(***)");
    }

    #[test]
    fn length_rules() {
        assert!(Password::new_checked("short").is_err());
        assert!(Password::new_checked(&"x".repeat(MAX_LEN + 1)).is_err());
        assert!(Password::new_checked("كلمة سر طويلة").is_ok());
    }
}
