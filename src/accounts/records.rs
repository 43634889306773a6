//! The account tables: users, sessions, API tokens, one-time tokens and settings.

use chrono::{Duration, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{AccountError, Accounts, Role, User, tokens};
use crate::mail::Locale;
use crate::store::{from_millis, to_millis};

const USER_COLUMNS: &str = "pk, uid, email, role, locale, verified_at, created";

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 30;

fn decode_user(row: &AnyRow) -> Result<User, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let locale: String = row.try_get("locale")?;
    let verified: Option<i64> = row.try_get("verified_at")?;
    Ok(User {
        pk: row.try_get("pk")?,
        uid: row.try_get("uid")?,
        email: row.try_get("email")?,
        role: Role::parse(&role).unwrap_or(Role::Reader),
        locale: Locale::parse(&locale),
        verified: verified.is_some(),
        created: from_millis(row.try_get("created")?),
    })
}

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

fn now() -> i64 {
    to_millis(Utc::now())
}

impl Accounts {
    async fn user_where(&self, clause: &str, value: &str) -> Result<Option<User>, AccountError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {clause} = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(self.store.pool())
            .await?;
        Ok(row.as_ref().map(decode_user).transpose()?)
    }

    /// A member by normalised e-mail address.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, AccountError> {
        self.user_where("email", email).await
    }

    /// A member by public id.
    pub async fn user_by_uid(&self, uid: &str) -> Result<Option<User>, AccountError> {
        self.user_where("uid", uid).await
    }

    pub(super) async fn user_by_pk(&self, pk: i64) -> Result<Option<User>, AccountError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE pk = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(pk)
            .fetch_optional(self.store.pool())
            .await?;
        Ok(row.as_ref().map(decode_user).transpose()?)
    }

    /// The stored password hash of a member, if any.
    pub(super) async fn password_hash(&self, pk: i64) -> Result<Option<String>, AccountError> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT password_hash FROM users WHERE pk = $1")
                .bind(pk)
                .fetch_optional(self.store.pool())
                .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Inserts a member; `None` when the address is taken. With `verify_mail`, the job of
    /// the verification e-mail is enqueued in the same transaction as the member's row.
    pub(super) async fn insert_user(
        &self,
        email: &str,
        password_hash: Option<&str>,
        role: Role,
        locale: Locale,
        verified: bool,
        verify_mail: bool,
    ) -> Result<Option<User>, AccountError> {
        let t = now();
        let mut tx = self.store.pool().begin().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO users (uid, email, password_hash, role, locale, verified_at, created) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING pk",
        )
        .bind(tokens::random_uid())
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(locale.as_str())
        .bind(verified.then_some(t))
        .bind(t)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((pk,)) = inserted else {
            return Ok(None);
        };
        if verify_mail && !verified {
            self.jobs
                .enqueue_in(&mut tx, super::AccountMail::Verify { user: pk }.job())
                .await?;
        }
        tx.commit().await?;
        self.jobs.wake();
        self.user_by_pk(pk).await
    }

    pub(super) async fn set_password_hash(&self, pk: i64, hash: &str) -> Result<(), AccountError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE pk = $2")
            .bind(hash)
            .bind(pk)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    pub(super) async fn mark_verified(&self, pk: i64) -> Result<(), AccountError> {
        sqlx::query("UPDATE users SET verified_at = $1 WHERE pk = $2 AND verified_at IS NULL")
            .bind(now())
            .bind(pk)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Every member, oldest first (admin page, `sahifa user list`).
    pub async fn list_users(&self) -> Result<Vec<User>, AccountError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY pk");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.store.pool())
            .await?;
        Ok(rows.iter().map(decode_user).collect::<Result<_, _>>()?)
    }

    /// Stores the language a member reads the site and their e-mails in.
    pub async fn set_locale(&self, user: &User, locale: Locale) -> Result<(), AccountError> {
        sqlx::query("UPDATE users SET locale = $1 WHERE pk = $2")
            .bind(locale.as_str())
            .bind(user.pk)
            .execute(self.store.pool())
            .await?;
        Ok(())
    }

    /// Changes a member's role; false when there is no such member.
    pub async fn set_role(&self, uid: &str, role: Role) -> Result<bool, AccountError> {
        let r = sqlx::query("UPDATE users SET role = $1 WHERE uid = $2")
            .bind(role.as_str())
            .bind(uid)
            .execute(self.store.pool())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    // ---- sessions ----

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

    /// The member a bearer token belongs to.
    pub async fn token_user(&self, secret: &str) -> Result<Option<User>, AccountError> {
        let hash = tokens::hash(secret);
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT user_pk FROM api_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(self.store.pool())
                .await?;
        let Some((pk,)) = row else { return Ok(None) };
        sqlx::query("UPDATE api_tokens SET last_used = $1 WHERE token_hash = $2")
            .bind(now())
            .bind(&hash)
            .execute(self.store.pool())
            .await?;
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
