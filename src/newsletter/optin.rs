//! The double opt-in mail, through the job queue like every account mail: a sign-up
//! enqueues a `newsletter_optin` job (a row before anything is sent); the job makes a
//! fresh confirmation link for the pending subscription, renders the mail in the visitor's
//! language and sends it with a Message-ID that is the same on every attempt.

use anyhow::Context;
use askama::Template;
use serde::{Deserialize, Serialize};

use super::Newsletters;
use crate::accounts::{Email, tokens};
use crate::jobs::{JobRef, NewJob};
use crate::locale::{Locale, Tr};
use crate::mail::OutgoingMail;

/// The job kind.
pub const KIND: &str = "newsletter_optin";
/// How long an opt-in link stays live.
pub const CONFIRM_DAYS: i64 = 7;

/// One opt-in mail to send: the pending subscription of `subscriber` to `newsletter`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OptIn {
    pub newsletter: i64,
    pub subscriber: i64,
    #[serde(default)]
    pub locale: String,
}

#[derive(Template)]
#[template(path = "newsletter/confirm_mail.html")]
struct ConfirmHtml<'a> {
    lang: &'a str,
    dir: &'a str,
    heading: &'a str,
    intro: &'a str,
    action: &'a str,
    link: &'a str,
    outro: &'a str,
}

#[derive(Template)]
#[template(path = "newsletter/confirm_mail.txt", escape = "none")]
struct ConfirmText<'a> {
    heading: &'a str,
    intro: &'a str,
    action: &'a str,
    link: &'a str,
    outro: &'a str,
}

/// The opt-in mail for newsletter `name` in `t`'s language.
pub fn confirm_mail(t: Tr, to: &Email, name: &str, link: &str) -> anyhow::Result<OutgoingMail> {
    let heading = t.arg("nl-optin-subject", "name", name).into_owned();
    let (intro, action, outro) = (
        t.get("nl-optin-intro"),
        t.get("nl-optin-action"),
        t.get("nl-optin-outro"),
    );
    Ok(OutgoingMail {
        to: to.clone(),
        message_id: None,
        subject: heading.clone(),
        html: ConfirmHtml {
            lang: t.lang(),
            dir: t.dir(),
            heading: &heading,
            intro: &intro,
            action: &action,
            link,
            outro: &outro,
        }
        .render()
        .context("rendering the opt-in mail")?,
        text: ConfirmText {
            heading: &heading,
            intro: &intro,
            action: &action,
            link,
            outro: &outro,
        }
        .render()
        .context("rendering the opt-in mail")?,
    })
}

impl Newsletters {
    /// Queues the opt-in mail of a pending subscription (sent by a worker).
    pub(crate) async fn queue_optin(&self, p: &OptIn) -> anyhow::Result<()> {
        let Some(jobs) = &self.jobs else {
            anyhow::bail!("no job queue to send the opt-in mail through");
        };
        jobs.enqueue(NewJob::new(KIND, p).attempts(8)).await?;
        Ok(())
    }

    /// Sends the opt-in mail of job `job` (the `newsletter_optin` handler). A subscription
    /// confirmed or gone meanwhile means nothing to send. Every attempt makes a new link
    /// (only the hash is stored), so a retry never mails a link that cannot work.
    pub async fn deliver_optin(&self, job: &JobRef, p: OptIn) -> anyhow::Result<()> {
        let Some(n) = self.store.newsletter(p.newsletter).await? else {
            return Ok(());
        };
        let secret = tokens::random_token();
        let expires = self.now_ms() + CONFIRM_DAYS * 86_400_000;
        let Some(address) = self
            .store
            .subscription_reissue(p.newsletter, p.subscriber, &tokens::hash(&secret), expires)
            .await?
        else {
            tracing::info!(id = job.id, "opt-in mail no longer needed");
            return Ok(());
        };
        let Ok(to) = Email::parse(&address) else {
            tracing::warn!(
                id = job.id,
                "opt-in for a stored address that does not parse"
            );
            return Ok(());
        };
        let t = Tr::new(Locale::parse(&p.locale));
        let link = self.url(&format!("/newsletters/confirm/{secret}"));
        let mut mail = confirm_mail(t, &to, &n.name, &link)?;
        mail.message_id = Some(format!(
            "<newsletter-optin.{}@{}>",
            job.id,
            super::message::sender_domain(&self.from)
        ));
        self.mailer.send(&self.from, &mail).await
    }
}
