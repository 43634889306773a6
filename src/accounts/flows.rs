//! The account flows: sign-up, verification, sign-in (password, e-mail link, one-time
//! code), password reset, change of e-mail, deletion and export. Known and unknown
//! addresses get the same answers, and take about the same time.

use super::ratelimit::{self, Limit};
use super::{AccountError, AccountMail, Accounts, Email, Password, Role, User, tokens};
use crate::mail::Locale;

pub(super) const VERIFY: &str = "verify";
pub(super) const SIGNIN: &str = "signin";
pub(super) const RESET: &str = "reset";
pub(super) const EMAIL_CHANGE: &str = "email_change";
/// Wrong one-time codes allowed per sign-in e-mail.
const CODE_ATTEMPTS: i64 = 5;

/// The answer to a sign-up: the same shape whether or not the address was new.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedUp {
    pub uid: String,
    pub email: Email,
}

impl Accounts {
    async fn limit(&self, key: String, limit: Limit) -> Result<(), AccountError> {
        if self.limiter.allow(&key, limit).await {
            Ok(())
        } else {
            Err(AccountError::RateLimited)
        }
    }

    /// Signs up `email` with `password`. A known address gets the same answer (with a
    /// throw-away id) and a "you already have an account" e-mail instead.
    pub async fn sign_up(
        &self,
        email: &str,
        password: &str,
        ip: &str,
        locale: Locale,
    ) -> Result<SignedUp, AccountError> {
        self.limit(format!("signup:{ip}"), ratelimit::SIGNUP_PER_IP)
            .await?;
        let email = Email::parse(email)?;
        let password = Password::new_checked(password).map_err(AccountError::Invalid)?;
        // Hash before looking the address up, so both paths cost the same.
        let hash = self.hasher.hash(&password).await?;
        // The member and the job of its verification mail commit together: a crash right
        // after the answer still sends the mail.
        match self
            .insert_user(
                email.as_str(),
                Some(&hash),
                Role::Reader,
                locale,
                false,
                true,
            )
            .await?
        {
            Some(user) => Ok(SignedUp {
                uid: user.uid,
                email,
            }),
            None => {
                let locale = match self.user_by_email(email.as_str()).await? {
                    Some(u) => u.locale,
                    None => locale,
                };
                self.queue_mail(AccountMail::AlreadyRegistered {
                    to: email.as_str().to_string(),
                    locale: locale.as_str().to_string(),
                })
                .await?;
                Ok(SignedUp {
                    uid: tokens::random_uid(),
                    email,
                })
            }
        }
    }

    /// (Re)sends the verification e-mail of an unverified member.
    pub async fn send_verification(&self, user: &User) -> Result<(), AccountError> {
        if user.verified {
            return Ok(());
        }
        self.queue_mail(AccountMail::Verify { user: user.pk }).await
    }

    /// Confirms an address with the token from the verification e-mail.
    pub async fn verify_email(&self, secret: &str) -> Result<User, AccountError> {
        let (pk, _) = self
            .spend_token(secret, VERIFY)
            .await?
            .ok_or(AccountError::BadToken)?;
        self.mark_verified(pk).await?;
        self.user_by_pk(pk).await?.ok_or(AccountError::BadToken)
    }

    /// Checks a password sign-in. Limited per IP and per account; an unknown address runs
    /// argon2 on a dummy hash and gets the same error as a wrong password.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        ip: &str,
    ) -> Result<User, AccountError> {
        self.limit(format!("signin:{ip}"), ratelimit::SIGNIN_PER_IP)
            .await?;
        let password = Password::offered(password);
        let user = match Email::parse(email) {
            Ok(e) => self.user_by_email(e.as_str()).await?,
            Err(_) => None,
        };
        // Failures are counted per account, and per address for unknown ones, so that both
        // take the same steps (with limits kept in the database, a step is a round trip
        // whose time would otherwise tell known addresses from unknown ones).
        let failures_key = match &user {
            Some(u) => format!("signin-fail:{}", u.pk),
            None => format!(
                "signin-fail:unknown:{}",
                tokens::hash(&email.trim().to_lowercase())
            ),
        };
        if self
            .limiter
            .exhausted(&failures_key, ratelimit::SIGNIN_FAILURES_PER_ACCOUNT)
            .await
        {
            self.hasher.verify(&password, None).await?;
            return Err(AccountError::RateLimited);
        }
        let stored = match &user {
            Some(u) => self.password_hash(u.pk).await?,
            None => None,
        };
        let ok = self.hasher.verify(&password, stored.as_deref()).await?;
        match user {
            Some(u) if ok => Ok(u),
            _ => {
                self.limiter.record(&failures_key).await;
                Err(AccountError::BadCredentials)
            }
        }
    }

    /// Sends a sign-in link and code when the address has an account; the same answer
    /// either way, and the same work: the request only enqueues a job for the address,
    /// and the job looks it up ([`AccountMail::SignInTo`]).
    pub async fn request_sign_in_link(&self, email: &str, ip: &str) -> Result<(), AccountError> {
        self.limit(format!("mailreq:{ip}"), ratelimit::MAIL_REQUESTS_PER_IP)
            .await?;
        let email = Email::parse(email)?;
        self.queue_mail(AccountMail::SignInTo {
            to: email.as_str().to_string(),
        })
        .await
    }

    /// Whether a sign-in link is live; does NOT use it up (link scanners fetch links).
    pub async fn sign_in_link_is_live(&self, secret: &str) -> Result<bool, AccountError> {
        Ok(self.peek_token(secret, SIGNIN).await?.is_some())
    }

    /// Signs in with a sign-in link (the confirm button's POST); the link is used up.
    pub async fn sign_in_with_link(&self, secret: &str) -> Result<User, AccountError> {
        let (pk, _) = self
            .spend_token(secret, SIGNIN)
            .await?
            .ok_or(AccountError::BadToken)?;
        // Opening the mail proves the address.
        self.mark_verified(pk).await?;
        self.user_by_pk(pk).await?.ok_or(AccountError::BadToken)
    }

    /// Signs in with the one-time code of a sign-in e-mail.
    pub async fn sign_in_with_code(
        &self,
        email: &str,
        code: &str,
        ip: &str,
    ) -> Result<User, AccountError> {
        self.limit(format!("code:{ip}"), ratelimit::CODE_PER_IP)
            .await?;
        let email = Email::parse(email).map_err(|_| AccountError::BadToken)?;
        let user = self
            .user_by_email(email.as_str())
            .await?
            .ok_or(AccountError::BadToken)?;
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT token_hash, code_hash, attempts FROM account_tokens \
             WHERE user_pk = $1 AND purpose = $2 AND expires > $3",
        )
        .bind(user.pk)
        .bind(SIGNIN)
        .bind(crate::store::to_millis(chrono::Utc::now()))
        .fetch_all(self.store.pool())
        .await?;
        let wanted = tokens::hash(&code);
        for (token_hash, code_hash, _) in &rows {
            if code_hash
                .as_deref()
                .is_some_and(|h| tokens::constant_eq(h, &wanted))
            {
                let r = sqlx::query("DELETE FROM account_tokens WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(self.store.pool())
                    .await?;
                if r.rows_affected() == 1 {
                    self.mark_verified(user.pk).await?;
                    return Ok(user);
                }
            }
        }
        // A wrong code counts against every live sign-in e-mail of the account.
        for (token_hash, _, attempts) in rows {
            let q = if attempts + 1 >= CODE_ATTEMPTS {
                "DELETE FROM account_tokens WHERE token_hash = $1"
            } else {
                "UPDATE account_tokens SET attempts = attempts + 1 WHERE token_hash = $1"
            };
            sqlx::query(q)
                .bind(token_hash)
                .execute(self.store.pool())
                .await?;
        }
        Err(AccountError::BadToken)
    }

    /// Sends a password-reset link when the address has an account; the same answer and
    /// the same work either way ([`AccountMail::ResetTo`]).
    pub async fn request_reset(&self, email: &str, ip: &str) -> Result<(), AccountError> {
        self.limit(format!("mailreq:{ip}"), ratelimit::MAIL_REQUESTS_PER_IP)
            .await?;
        let email = Email::parse(email)?;
        self.queue_mail(AccountMail::ResetTo {
            to: email.as_str().to_string(),
        })
        .await
    }

    /// Whether a reset link is live (the form page), without using it up.
    pub async fn reset_link_is_live(&self, secret: &str) -> Result<bool, AccountError> {
        Ok(self.peek_token(secret, RESET).await?.is_some())
    }

    /// Sets a new password with a reset link; every session of the member ends.
    pub async fn reset_password(&self, secret: &str, password: &str) -> Result<User, AccountError> {
        let password = Password::new_checked(password).map_err(AccountError::Invalid)?;
        let hash = self.hasher.hash(&password).await?;
        let (pk, _) = self
            .spend_token(secret, RESET)
            .await?
            .ok_or(AccountError::BadToken)?;
        self.set_password_hash(pk, &hash).await?;
        self.mark_verified(pk).await?;
        self.drop_tokens(pk, SIGNIN).await?;
        let user = self.user_by_pk(pk).await?.ok_or(AccountError::BadToken)?;
        self.end_all_sessions(&user).await?;
        Ok(user)
    }
}
