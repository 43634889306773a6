//! Accounts, the use-cases shared by the web pages, the JSON API and the CLI: sign-up,
//! e-mail verification, sign-in (password, e-mail link, one-time code), sessions, password
//! reset, change of e-mail, deletion, export, personal API tokens, roles and admin settings.

pub mod command;
pub mod email;
mod flows;
mod lifecycle;
mod mail;
pub mod password;
pub mod ratelimit;
mod records;
mod sessions;
#[cfg(test)]
mod tests;
pub mod tokens;

pub use email::{Email, EmailError};
pub use flows::SignedUp;
pub use mail::{AccountMail, MAIL_ATTEMPTS};
pub use password::{Hasher, Password};
pub use ratelimit::RateLimiter;
pub use sessions::{ApiTokenInfo, SessionInfo};

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lettre::message::Mailbox;

use crate::config::Config;
use crate::jobs::Queue;
use crate::mail::{Locale, Mailer};
use crate::store::Store;

/// Lifetime of a session cookie, in seconds.
pub fn session_max_age() -> i64 {
    sessions::SESSION_DAYS * 24 * 3600
}

/// What a member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The role's Arabic name.
    pub fn name_ar(self) -> &'static str {
        match self {
            Role::Reader => "قارئ",
            Role::Editor => "محرر",
            Role::Admin => "مدير",
        }
    }
}

/// A member as the rest of the program sees it (never with the password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub pk: i64,
    /// The public id (`u_…`).
    pub uid: String,
    pub email: String,
    pub role: Role,
    pub locale: Locale,
    pub verified: bool,
    pub created: DateTime<Utc>,
}

impl User {
    /// Editors and admins may use the desk.
    pub fn is_editor(&self) -> bool {
        self.role >= Role::Editor
    }
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Why an account action failed; the messages are safe to show.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Invalid(String),
    #[error("the e-mail address or the password is wrong")]
    BadCredentials,
    #[error("too many attempts; wait a little and try again")]
    RateLimited,
    #[error("confirm your e-mail address first")]
    Unverified,
    #[error("this link or code is not valid any more")]
    BadToken,
    #[error("not allowed")]
    Forbidden,
    #[error("the server is busy; try again in a few seconds")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AccountError {
    fn from(e: sqlx::Error) -> Self {
        AccountError::Internal(e.into())
    }
}

impl From<EmailError> for AccountError {
    fn from(e: EmailError) -> Self {
        AccountError::Invalid(e.to_string())
    }
}

/// The accounts service; cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    mailer: Arc<dyn Mailer>,
    from: Mailbox,
    limiter: Arc<RateLimiter>,
    /// The per-address limit of account e-mail, always in the database: the mail jobs
    /// may run in any process (`serve` or `worker`) on either backend.
    mail_limiter: Arc<RateLimiter>,
    jobs: Queue,
    hasher: Hasher,
    config: Arc<Config>,
}

impl Accounts {
    pub fn new(
        store: Store,
        mailer: Arc<dyn Mailer>,
        limiter: Arc<RateLimiter>,
        config: Arc<Config>,
        jobs: Queue,
    ) -> anyhow::Result<Accounts> {
        let hasher = match config.password_hashes {
            0 => Hasher::new(config.password_memory_kib, config.password_iterations)?,
            n => Hasher::with_permits(config.password_memory_kib, config.password_iterations, n)?,
        };
        let from = crate::mail::sender(&config)?;
        Ok(Accounts {
            mail_limiter: Arc::new(RateLimiter::shared(store.clone())),
            store,
            mailer,
            from,
            limiter,
            jobs,
            hasher,
            config,
        })
    }

    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    pub fn hasher(&self) -> &Hasher {
        &self.hasher
    }

    /// An absolute link into the site.
    fn link(&self, path_and_query: &str) -> String {
        format!(
            "{}{}",
            self.config.base_url.trim_end_matches('/'),
            path_and_query
        )
    }

    /// Whether the admin requires a verified address before an account can act.
    pub async fn require_verified(&self) -> anyhow::Result<bool> {
        Ok(match self.setting("require_verified_email").await? {
            Some(v) => v == "true",
            None => self.config.require_verified_email,
        })
    }

    /// Turns the "require verified e-mail" setting on or off.
    pub async fn set_require_verified(&self, on: bool) -> anyhow::Result<()> {
        self.set_setting("require_verified_email", if on { "true" } else { "false" })
            .await
    }

    /// Refuses with [`AccountError::Unverified`] when verification is required and missing.
    pub async fn ensure_may_act(&self, user: &User) -> Result<(), AccountError> {
        if !user.verified && self.require_verified().await? {
            return Err(AccountError::Unverified);
        }
        Ok(())
    }
}
