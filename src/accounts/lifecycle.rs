//! The later life of an account: password checks before sensitive changes, change of
//! e-mail (confirmed at the new address), deletion, export and `sahifa user add`.

use serde_json::json;

use super::flows::{EMAIL_CHANGE, RESET, SIGNIN};
use super::ratelimit;
use super::{AccountError, AccountMail, Accounts, Email, Password, Role, User};
use crate::mail::Locale;

impl Accounts {
    /// Checks the password of a signed-in member (before sensitive changes). Members
    /// without a password (e-mail sign-in only) pass.
    pub async fn confirm_password(&self, user: &User, password: &str) -> Result<(), AccountError> {
        let key = format!("signin-fail:{}", user.pk);
        if self
            .limiter
            .exhausted(&key, ratelimit::SIGNIN_FAILURES_PER_ACCOUNT)
            .await
        {
            return Err(AccountError::RateLimited);
        }
        let Some(stored) = self.password_hash(user.pk).await? else {
            return Ok(());
        };
        if self
            .hasher
            .verify(&Password::offered(password), Some(&stored))
            .await?
        {
            Ok(())
        } else {
            self.limiter.record(&key).await;
            Err(AccountError::BadCredentials)
        }
    }

    /// Asks to move the account to `new_email`: a confirm link goes to the new address and
    /// a notice to the old one; nothing changes until the link's confirm button is pressed.
    pub async fn request_email_change(
        &self,
        user: &User,
        new_email: &str,
        password: &str,
    ) -> Result<(), AccountError> {
        self.confirm_password(user, password).await?;
        let new_email = Email::parse(new_email)?;
        if new_email.as_str() == user.email {
            return Err(AccountError::Invalid(
                "this is already the address of the account".into(),
            ));
        }
        self.drop_tokens(user.pk, EMAIL_CHANGE).await?;
        if self.user_by_email(new_email.as_str()).await?.is_some() {
            // Same answer as for a free address; the owner of that address is not told.
            return Ok(());
        }
        self.queue_mail(AccountMail::EmailChange {
            user: user.pk,
            new_email: new_email.as_str().to_string(),
        })
        .await?;
        self.queue_mail(AccountMail::EmailChangeNotice {
            to: user.email.clone(),
            locale: user.locale.as_str().to_string(),
        })
        .await?;
        Ok(())
    }

    /// The new address a change link would confirm, without using it up.
    pub async fn email_change_target(&self, secret: &str) -> Result<Option<String>, AccountError> {
        Ok(self
            .peek_token(secret, EMAIL_CHANGE)
            .await?
            .and_then(|(_, e)| e))
    }

    /// Confirms a change of e-mail (the confirm button's POST).
    pub async fn confirm_email_change(&self, secret: &str) -> Result<User, AccountError> {
        let (pk, new_email) = self
            .spend_token(secret, EMAIL_CHANGE)
            .await?
            .ok_or(AccountError::BadToken)?;
        let new_email = new_email.ok_or(AccountError::BadToken)?;
        let now = crate::store::to_millis(chrono::Utc::now());
        let r = sqlx::query(
            "UPDATE users SET email = $1, verified_at = $2 WHERE pk = $3 \
             AND NOT EXISTS (SELECT 1 FROM users WHERE email = $1)",
        )
        .bind(&new_email)
        .bind(now)
        .bind(pk)
        .execute(self.store.pool())
        .await?;
        if r.rows_affected() == 0 {
            return Err(AccountError::Invalid(
                "this address now belongs to another account".into(),
            ));
        }
        self.drop_tokens(pk, SIGNIN).await?;
        self.drop_tokens(pk, RESET).await?;
        self.user_by_pk(pk).await?.ok_or(AccountError::BadToken)
    }

    /// Deletes a member and everything that is theirs (sessions, tokens, one-time links).
    pub async fn delete_account(&self, user: &User, password: &str) -> Result<(), AccountError> {
        self.confirm_password(user, password).await?;
        self.delete_user_data(user.pk).await
    }

    /// Removes a member's rows from every account table, in one transaction.
    pub async fn delete_user_data(&self, pk: i64) -> Result<(), AccountError> {
        let mut tx = self.store.pool().begin().await?;
        for sql in [
            "DELETE FROM sessions WHERE user_pk = $1",
            "DELETE FROM api_tokens WHERE user_pk = $1",
            "DELETE FROM account_tokens WHERE user_pk = $1",
            "DELETE FROM signals WHERE user_pk = $1",
            "DELETE FROM follows WHERE user_pk = $1",
            "DELETE FROM users WHERE pk = $1",
        ] {
            sqlx::query(sql).bind(pk).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Everything stored about a member, as JSON (no secrets, no password hash).
    pub async fn export(&self, user: &User) -> Result<serde_json::Value, AccountError> {
        let sessions = self.sessions(user).await?;
        let tokens = self.api_tokens(user).await?;
        let has_password = self.password_hash(user.pk).await?.is_some();
        let reading = crate::reader::export(&self.store, user.pk).await?;
        Ok(json!({
            "format": "sahifa-account-export/1",
            "exported": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "account": {
                "id": user.uid,
                "email": user.email,
                "role": user.role.as_str(),
                "verified": user.verified,
                "locale": user.locale.as_str(),
                "created": user.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "has_password": has_password,
            },
            "sessions": sessions,
            "api_tokens": tokens,
            "follows": reading["follows"],
            "signals": reading["signals"],
        }))
    }

    /// `sahifa user add`: creates a member with a password and a role.
    pub async fn add_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        verified: bool,
    ) -> Result<User, AccountError> {
        let email = Email::parse(email)?;
        let password = Password::new_checked(password).map_err(AccountError::Invalid)?;
        let hash = self.hasher.hash(&password).await?;
        self.insert_user(
            email.as_str(),
            Some(&hash),
            role,
            Locale::Ar,
            verified,
            false,
        )
        .await?
        .ok_or_else(|| AccountError::Invalid(format!("an account with {email} already exists")))
    }
}
