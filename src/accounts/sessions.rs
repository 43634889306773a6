//! Sessions, personal API tokens, one-time e-mail tokens and site settings of accounts.

use chrono::{Duration, Utc};

use super::records::now;
use super::{AccountError, Accounts, User, tokens};
use crate::store::{from_millis, to_millis};

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 30;
/// How stale an API token's `last_used` may get (ms).
const TOKEN_USE_RECORDED_EVERY_MS: i64 = 60_000;

/// A session as its owner sees it in the export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SessionInfo {
    pub created: String,
    pub expires: String,
}

/// A personal API token as listed (never the token itself).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
}

fn iso(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Accounts {
    /// Opens a session for `user`; returns the secret for the cookie.
    pub async fn create_session(&self, user: &User) -> Result<String, AccountError> {
        let secret = tokens::random_token();
        let t = Utc::now();
        // Housekeeping: expired sessions and e-mail tokens go when new sessions come.
        for sql in [
            "DELETE FROM sessions WHERE expires <= $1",
            "DELETE FROM account_tokens WHERE expires <= $1",
        ] {
            sqlx::query(sql)
                .bind(to_millis(t))
                .execute(self.store.pool())
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_pk, created, last_seen, expires) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(tokens::hash(&secret))
        .bind(user.pk)
        .bind(to_millis(t))
        .bind(to_millis(t + Duration::days(SESSION_DAYS)))
        .execute(self.store.pool())
        .await?;
        Ok(secret)
    }

    /// The member of a live session.
    pub async fn session_user(&self, secret: &str) -> Result<Option<User>, AccountError> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT user_pk FROM sessions WHERE token_hash = $1 AND expires > $2")
                .bind(tokens::hash(secret))
                .bind(now())
                .fetch_optional(self.store.pool())
                .await?;
        match row {
            Some((pk,)) => self.user_by_pk(pk).await,
            None => Ok(None),
        }
    }

    /// Ends one session.
    pub async fn end_session(&self, secret: &str) -> Result<(), AccountError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(tokens::hash(secret))
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of a member; returns how many there were.
    pub async fn end_all_sessions(&self, user: &User) -> Result<u64, AccountError> {
        let r = sqlx::query("DELETE FROM sessions WHERE user_pk = $1")
            .bind(user.pk)
            .execute(self.store.pool())
            .await?;
        Ok(r.rows_affected())
    }

    /// Live sessions of a member.
    pub async fn sessions(&self, user: &User) -> Result<Vec<SessionInfo>, AccountError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT created, expires FROM sessions WHERE user_pk = $1 AND expires > $2 \
             ORDER BY created",
        )
        .bind(user.pk)
        .bind(now())
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(c, e)| SessionInfo {
                created: iso(c),
                expires: iso(e),
            })
            .collect())
    }

    // ---- personal API tokens ----

    /// Creates a named API token; returns the secret, shown once.
    pub async fn create_api_token(&self, user: &User, name: &str) -> Result<String, AccountError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AccountError::Invalid(
                "the token name must have 1 to 100 characters".into(),
            ));
        }
        self.ensure_may_act(user).await?;
        let secret = format!("sahifa_{}", tokens::random_token());
        sqlx::query(
            "INSERT INTO api_tokens (user_pk, name, token_hash, created) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.pk)
        .bind(name)
        .bind(tokens::hash(&secret))
        .bind(now())
        .execute(self.store.pool())
        .await?;
        Ok(secret)
    }

    /// A member's API tokens, newest first.
    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiTokenInfo>, AccountError> {
        let rows: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT pk, name, created, last_used FROM api_tokens WHERE user_pk = $1 \
             ORDER BY pk DESC",
        )
        .bind(user.pk)
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, c, u)| ApiTokenInfo {
                id,
                name,
                created: iso(c),
                last_used: u.map(iso),
            })
            .collect())
    }

    /// Revokes one of the member's tokens; false when it is not theirs or gone.
    pub async fn revoke_api_token(&self, user: &User, id: i64) -> Result<bool, AccountError> {
        let r = sqlx::query("DELETE FROM api_tokens WHERE pk = $1 AND user_pk = $2")
            .bind(id)
            .bind(user.pk)
            .execute(self.store.pool())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// The member a bearer token belongs to. Its `last_used` is written at most once a
    /// minute: a write per API call would queue every read behind SQLite's one writer.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, AccountError> {
        let hash = tokens::hash(secret);
        let row: Option<(i64, Option<i64>)> =
            sqlx::query_as("SELECT user_pk, last_used FROM api_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(self.store.pool())
                .await?;
        let Some((pk, last_used)) = row else {
            return Ok(None);
        };
        let at = now();
        if last_used.is_none_or(|t| at - t >= TOKEN_USE_RECORDED_EVERY_MS) {
            sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE token_hash = $2")
                .bind(at)
                .bind(&hash)
                .execute(self.store.pool())
                .await?;
        }
        self.user_by_pk(pk).await
    }

    // ---- one-time tokens sent by e-mail ----

    /// Stores a one-time token; returns its secret.
    pub(super) async fn issue_token(
        &self,
        user: &User,
        purpose: &str,
        valid: Duration,
        code: Option<&str>,
        new_email: Option<&str>,
    ) -> Result<String, AccountError> {
        let secret = tokens::random_token();
        let t = Utc::now();
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_pk, purpose, code_hash, new_email, \
             created, expires) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(tokens::hash(&secret))
        .bind(user.pk)
        .bind(purpose)
        .bind(code.map(tokens::hash))
        .bind(new_email)
        .bind(to_millis(t))
        .bind(to_millis(t + valid))
        .execute(self.store.pool())
        .await?;
        Ok(secret)
    }

    /// Whether a token is live, without using it up: (member, new e-mail).
    pub(super) async fn peek_token(
        &self,
        secret: &str,
        purpose: &str,
    ) -> Result<Option<(i64, Option<String>)>, AccountError> {
        Ok(sqlx::query_as(
            "SELECT user_pk, new_email FROM account_tokens \
             WHERE token_hash = $1 AND purpose = $2 AND expires > $3",
        )
        .bind(tokens::hash(secret))
        .bind(purpose)
        .bind(now())
        .fetch_optional(self.store.pool())
        .await?)
    }

    /// Uses a token up (atomically: only one caller gets it): (member, new e-mail).
    pub(super) async fn spend_token(
        &self,
        secret: &str,
        purpose: &str,
    ) -> Result<Option<(i64, Option<String>)>, AccountError> {
        Ok(sqlx::query_as(
            "DELETE FROM account_tokens WHERE token_hash = $1 AND purpose = $2 AND expires > $3 \
             RETURNING user_pk, new_email",
        )
        .bind(tokens::hash(secret))
        .bind(purpose)
        .bind(now())
        .fetch_optional(self.store.pool())
        .await?)
    }

    /// Deletes a member's tokens of one purpose.
    pub(super) async fn drop_tokens(&self, pk: i64, purpose: &str) -> Result<(), AccountError> {
        sqlx::query("DELETE FROM account_tokens WHERE user_pk = $1 AND purpose = $2")
            .bind(pk)
            .bind(purpose)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    // ---- settings ----

    pub(super) async fn setting(&self, key: &str) -> anyhow::Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.store.pool())
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub(super) async fn set_setting(&self, key: &str, value: &str) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }
}
