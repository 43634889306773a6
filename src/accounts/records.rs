//! The users table: reading, adding and changing accounts. Sessions, tokens and settings are
//! in `sessions.rs`.

use chrono::Utc;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{AccountError, Accounts, Role, User, tokens};
use crate::mail::Locale;
use crate::store::{from_millis, to_millis};

pub(super) const USER_COLUMNS: &str = "pk, uid, email, role, locale, verified_at, created";

pub(super) fn decode_user(row: &AnyRow) -> Result<User, sqlx::Error> {
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

pub(super) fn now() -> i64 {
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
}
