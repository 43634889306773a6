//! Account e-mail through the job queue. A request enqueues an [`AccountMail`] (in the same
//! transaction as the row that needs it where there is one, e.g. a new member); the job
//! then issues the one-time token, applies the per-address limit and sends. No secret is
//! ever stored in the queue: the link and code are made when the mail is sent, so a retry
//! after a failure sends a fresh, valid link. The Message-ID is fixed per job, so a resend
//! after a crash in mid-delivery carries the same Message-ID as the first try.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::flows::{EMAIL_CHANGE, RESET, SIGNIN, VERIFY};
use super::{AccountError, Accounts, Email, User, ratelimit, tokens};
use crate::jobs::{JobRef, NewJob};
use crate::mail::{Locale, MailKind};

/// Attempts an account e-mail gets (with the default backoff, about ten minutes of SMTP
/// trouble).
pub const MAIL_ATTEMPTS: u32 = 8;

/// One account e-mail to send, as stored in a job's payload (ids and addresses, never
/// secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mail", rename_all = "snake_case")]
pub enum AccountMail {
    /// Confirm the address of member `user`.
    Verify { user: i64 },
    /// Someone tried to sign up with `to`, which has an account.
    AlreadyRegistered { to: String, locale: String },
    /// A sign-in link and code for member `user` (what requests enqueued before
    /// [`AccountMail::SignInTo`]; still delivered).
    SignIn { user: i64 },
    /// A password-reset link for member `user` (likewise before [`AccountMail::ResetTo`]).
    Reset { user: i64 },
    /// A sign-in link and code for the member with address `to`, if there is one. The
    /// request enqueues this for any well-formed address without looking it up, so known
    /// and unknown addresses cost it the same; the job decides whether a mail goes out.
    SignInTo { to: String },
    /// A password-reset link for the member with address `to`, if there is one (as
    /// [`AccountMail::SignInTo`]).
    ResetTo { to: String },
    /// Confirm `new_email` as member `user`'s address (sent to `new_email`).
    EmailChange { user: i64, new_email: String },
    /// Tell the old address `to` that a change was asked for.
    EmailChangeNotice { to: String, locale: String },
}

impl AccountMail {
    /// The job that sends this mail.
    pub fn job(&self) -> NewJob {
        NewJob::new(crate::jobs::account_mail::KIND, self).attempts(MAIL_ATTEMPTS)
    }
}

/// What one delivery resolved to.
struct Resolved {
    to: Email,
    kind: MailKind,
    locale: Locale,
    /// The member a token is issued for, with the token's purpose, validity, whether it
    /// has a code, and the new address it confirms.
    token: Option<(User, &'static str, Duration, bool, Option<String>)>,
}

impl Resolved {
    fn plain(to: &str, kind: MailKind, locale: &str) -> Result<Resolved, AccountError> {
        Ok(Resolved {
            to: Email::parse(to)?,
            kind,
            locale: Locale::parse(locale),
            token: None,
        })
    }

    fn for_member(
        u: User,
        to: Option<String>,
        kind: MailKind,
        purpose: &'static str,
        valid: Duration,
        code: bool,
    ) -> Result<Resolved, AccountError> {
        Ok(Resolved {
            to: Email::parse(to.as_deref().unwrap_or(&u.email))?,
            kind,
            locale: u.locale,
            token: Some((u, purpose, valid, code, to)),
        })
    }
}

impl Accounts {
    /// Enqueues `mail` and wakes this process's runner.
    pub(super) async fn queue_mail(&self, mail: AccountMail) -> Result<(), AccountError> {
        self.jobs.enqueue(mail.job()).await?;
        Ok(())
    }

    /// Sends the account e-mail of job `job` (the `account_mail` handler). A member gone
    /// or already verified in the meantime means nothing to send; the per-address limit is
    /// counted on the first attempt only, so the retries of one mail count once.
    pub async fn deliver_mail(&self, job: &JobRef, mail: AccountMail) -> anyhow::Result<()> {
        let Some(r) = self.resolve(mail).await? else {
            tracing::info!(id = job.id, "account e-mail no longer needed");
            return Ok(());
        };
        let key = format!("mail:{}", tokens::hash(r.to.as_str()));
        if job.is_first_attempt()
            && !self
                .mail_limiter
                .allow(&key, ratelimit::MAIL_PER_ADDRESS)
                .await
        {
            tracing::info!(kind = ?r.kind, "e-mail to an address suppressed by its rate limit");
            return Ok(());
        }
        let (mut link, mut code) = (None, None);
        if let Some((user, purpose, valid, with_code, new_email)) = &r.token {
            let c = with_code.then(tokens::random_code);
            let secret = self
                .issue_token(user, purpose, *valid, c.as_deref(), new_email.as_deref())
                .await?;
            let path = match *purpose {
                VERIFY => "/verify",
                SIGNIN => "/signin/link",
                RESET => "/reset/confirm",
                _ => "/account/email/confirm",
            };
            link = Some(self.link(&format!("{path}?token={secret}")));
            code = c;
        } else if r.kind == MailKind::AlreadyRegistered {
            link = Some(self.link("/signin"));
        }
        let mut out =
            crate::mail::compose(r.kind, r.locale, &r.to, link.as_deref(), code.as_deref())?;
        out.message_id = Some(self.message_id(job.id));
        self.mailer.send(&self.from, &out).await
    }

    /// `<account-mail.ID@domain of mail_from>`: the same for every attempt of one job.
    fn message_id(&self, job: i64) -> String {
        format!("<account-mail.{job}@{}>", self.from.email.domain())
    }

    async fn resolve(&self, mail: AccountMail) -> Result<Option<Resolved>, AccountError> {
        use MailKind as K;
        let r = match mail {
            AccountMail::AlreadyRegistered { to, locale } => {
                Resolved::plain(&to, K::AlreadyRegistered, &locale)?
            }
            AccountMail::EmailChangeNotice { to, locale } => {
                Resolved::plain(&to, K::EmailChangeNotice, &locale)?
            }
            AccountMail::Verify { user } => match self.user_by_pk(user).await? {
                Some(u) if !u.verified => {
                    Resolved::for_member(u, None, K::Verify, VERIFY, Duration::hours(48), false)?
                }
                _ => return Ok(None),
            },
            AccountMail::SignIn { user } => match self.user_by_pk(user).await? {
                Some(u) => {
                    Resolved::for_member(u, None, K::SignIn, SIGNIN, Duration::minutes(15), true)?
                }
                None => return Ok(None),
            },
            AccountMail::SignInTo { to } => match self.user_by_email(&to).await? {
                Some(u) => {
                    Resolved::for_member(u, None, K::SignIn, SIGNIN, Duration::minutes(15), true)?
                }
                None => return Ok(None),
            },
            AccountMail::ResetTo { to } => match self.user_by_email(&to).await? {
                Some(u) => {
                    Resolved::for_member(u, None, K::Reset, RESET, Duration::hours(1), false)?
                }
                None => return Ok(None),
            },
            AccountMail::Reset { user } => match self.user_by_pk(user).await? {
                Some(u) => {
                    Resolved::for_member(u, None, K::Reset, RESET, Duration::hours(1), false)?
                }
                None => return Ok(None),
            },
            AccountMail::EmailChange { user, new_email } => match self.user_by_pk(user).await? {
                Some(u) => Resolved::for_member(
                    u,
                    Some(new_email),
                    K::EmailChange,
                    EMAIL_CHANGE,
                    Duration::hours(24),
                    false,
                )?,
                None => return Ok(None),
            },
        };
        Ok(Some(r))
    }
}
