//! Sending an edition from its ledger: claim a small batch of queued rows under a lease,
//! then for each row mark it `sending`, run the SMTP transaction, and record the answer.
//! 2xx → sent; 5xx → failed and a hard bounce; 4xx or no connection → queued again with
//! backoff; anything else mid-transaction → uncertain (the mail may have left, so it is
//! never sent again by itself). A worker killed mid-transaction leaves one `sending` row per
//! batch in flight, which the next sweep turns `uncertain`. Send rates per transport are
//! counted in the database, so every worker keeps the same limit.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::render::{self, MailView};
use super::{Item, Newsletter, Newsletters, message, tokens};
use crate::store::{DeliveryRow, EditionRow};

/// Sender jobs started per edition (each claims its own batches; more workers, more speed).
const SENDERS: u32 = 2;
/// Attempts after which a temporary refusal counts as a failure.
const MAX_ATTEMPTS: i64 = 6;

/// What one call of [`Newsletters::drain`] left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drain {
    /// Every row is settled (sent, failed or uncertain).
    Done,
    /// Rows wait for a retry time or another worker's lease; look again at this time.
    Later(DateTime<Utc>),
    /// The time budget ran out with rows still due.
    More,
}

/// Counts of one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
    pub retried: usize,
    pub uncertain: usize,
}

/// How an SMTP attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// 4xx, or the server could not be reached: nothing was delivered; try later.
    Temporary,
    /// 5xx: refused for good.
    Permanent,
    /// The transaction broke off after it began: it may or may not have been delivered.
    Unknown,
}

/// Classifies a send error by lettre's SMTP error kinds.
pub fn classify(e: &anyhow::Error) -> Outcome {
    match e.downcast_ref::<lettre::transport::smtp::Error>() {
        Some(s) if s.is_permanent() => Outcome::Permanent,
        Some(s) if s.is_transient() => Outcome::Temporary,
        // lettre reports a failure to connect (nothing sent yet) as a "Connection error".
        Some(s) if s.to_string().starts_with("Connection error") => Outcome::Temporary,
        _ => Outcome::Unknown,
    }
}

/// Retry delay after `attempts` temporary refusals: 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let minutes = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    chrono::Duration::minutes(minutes.min(60))
}

/// An edition with what every mail of it shares.
struct Context_ {
    newsletter: Newsletter,
    edition: EditionRow,
    items: Vec<Item>,
    list_id: String,
    domain: String,
}

/// A name for this process in lease columns.
pub fn worker_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &crate::accounts::tokens::random_token()[..6]
    )
}

impl Newsletters {
    fn lease(&self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.config.newsletter_lease_secs.max(1)))
    }

    async fn context(&self, edition_pk: i64) -> anyhow::Result<Context_> {
        let edition = self
            .store
            .edition(edition_pk)
            .await?
            .with_context(|| format!("no edition {edition_pk}"))?;
        let row = self
            .store
            .newsletter(edition.newsletter_pk)
            .await?
            .context("the edition's newsletter is gone")?;
        let newsletter = Newsletter::from_row(row)?;
        let domain = message::sender_domain(&self.from);
        Ok(Context_ {
            items: super::compose::edition_items(&edition),
            list_id: format!("{}.{domain}", newsletter.slug),
            newsletter,
            edition,
            domain,
        })
    }

    /// The one-click unsubscribe link of subscription `pk`.
    pub fn unsubscribe_url(&self, subscription_pk: i64) -> String {
        self.url(&format!(
            "/unsubscribe/{}",
            tokens::sign(&self.secret, "unsubscribe", subscription_pk)
        ))
    }

    /// The subscription a one-click token names, if the token is genuine.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<i64> {
        tokens::verify(&self.secret, "unsubscribe", token)
    }

    /// The mail of one ledger row.
    async fn mail_for(&self, cx: &Context_, row: &DeliveryRow) -> anyhow::Result<lettre::Message> {
        let items = match &row.payload {
            Some(p) => self.digest_items(p).await?,
            None => cx.items.clone(),
        };
        let unsubscribe_url = self.unsubscribe_url(row.subscription_pk);
        let view = MailView {
            name: cx.newsletter.name.clone(),
            subject: cx.edition.subject.clone(),
            preheader: if row.payload.is_some() {
                render::preheader(&items)
            } else {
                cx.edition.preheader.clone()
            },
            dateline: render::dateline(crate::store::from_millis(cx.edition.created)),
            intro: cx.edition.intro.clone(),
            items: MailView::items_from(&self.config.base_url, &items),
            archive_url: self.url(&format!("/newsletters/{}", cx.newsletter.slug)),
            unsubscribe_url: unsubscribe_url.clone(),
            manage_url: self.url("/account/newsletters"),
        };
        let parts = render::render(&view)?;
        let id = message::message_id(cx.edition.pk, row.subscriber_pk, &cx.domain);
        message::build(
            &self.from,
            &message::Envelope {
                to: &row.email,
                subject: &cx.edition.subject,
                message_id: &id,
                list_id: &cx.list_id,
                unsubscribe_url: &unsubscribe_url,
            },
            &parts,
            self.dkim.as_deref(),
        )
    }

    /// Waits for a slot in the transport's shared send rate (when one is configured).
    async fn take_rate_slot(&self) -> anyhow::Result<()> {
        let limit = i64::from(self.config.newsletter_rate);
        if limit == 0 {
            return Ok(());
        }
        loop {
            let now = Utc::now().timestamp_millis();
            if self
                .store
                .send_rate_take(self.mailer.name(), limit, 1000, now)
                .await?
            {
                return Ok(());
            }
            let wait = 1000 - now.rem_euclid(1000) + 1;
            tokio::time::sleep(Duration::from_millis(wait.unsigned_abs())).await;
        }
    }

    /// Claims and sends one batch of edition `edition_pk` as `owner`.
    pub async fn send_batch(&self, edition_pk: i64, owner: &str) -> anyhow::Result<BatchReport> {
        let cx = self.context(edition_pk).await?;
        self.send_batch_in(&cx, owner).await
    }

    async fn send_batch_in(&self, cx: &Context_, owner: &str) -> anyhow::Result<BatchReport> {
        let now = self.now();
        let rows = self
            .store
            .deliveries_claim(
                cx.edition.pk,
                owner,
                i64::from(self.config.newsletter_batch.max(1)),
                now.timestamp_millis(),
                (now + self.lease()).timestamp_millis(),
            )
            .await?;
        let mut report = BatchReport {
            claimed: rows.len(),
            ..BatchReport::default()
        };
        let subs: Vec<i64> = rows.iter().map(|r| r.subscription_pk).collect();
        let live: HashSet<i64> = self.store.live_subscriptions(&subs).await?;
        for row in &rows {
            if !live.contains(&row.subscription_pk) {
                self.store
                    .delivery_failed(row.pk, "unsubscribed or stopped before sending")
                    .await?;
                report.failed += 1;
                continue;
            }
            let mail = match self.mail_for(cx, row).await {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), delivery = row.pk, "cannot build a newsletter mail");
                    self.store
                        .delivery_failed(row.pk, &format!("{e:#}"))
                        .await?;
                    report.failed += 1;
                    continue;
                }
            };
            self.take_rate_slot().await?;
            let lease_until = (self.now() + self.lease()).timestamp_millis();
            if !self
                .store
                .delivery_start(row.pk, owner, lease_until)
                .await?
            {
                continue;
            }
            let result = self.mailer.send_message(&mail).await;
            self.record(row, result, &mut report).await?;
        }
        Ok(report)
    }

    /// Stores how one SMTP attempt ended.
    async fn record(
        &self,
        row: &DeliveryRow,
        result: anyhow::Result<()>,
        report: &mut BatchReport,
    ) -> anyhow::Result<()> {
        let now = self.now();
        let e = match result {
            Ok(()) => {
                self.store
                    .delivery_sent(row.pk, now.timestamp_millis())
                    .await?;
                report.sent += 1;
                return Ok(());
            }
            Err(e) => e,
        };
        let reason = format!("{e:#}");
        match classify(&e) {
            Outcome::Sent => {}
            Outcome::Permanent => {
                self.store.delivery_failed(row.pk, &reason).await?;
                let limit = i64::from(self.config.newsletter_bounce_limit.max(1));
                self.store
                    .subscriber_bounce(row.subscriber_pk, true, limit, now.timestamp_millis())
                    .await?;
                report.failed += 1;
            }
            Outcome::Temporary if row.attempts + 1 < MAX_ATTEMPTS => {
                let at = now + backoff(row.attempts + 1);
                self.store
                    .delivery_retry(row.pk, at.timestamp_millis(), &reason)
                    .await?;
                if e.downcast_ref::<lettre::transport::smtp::Error>()
                    .is_some_and(|s| s.is_transient())
                {
                    self.store
                        .subscriber_bounce(row.subscriber_pk, false, 0, now.timestamp_millis())
                        .await?;
                }
                report.retried += 1;
            }
            Outcome::Temporary => {
                self.store.delivery_failed(row.pk, &reason).await?;
                report.failed += 1;
            }
            Outcome::Unknown => {
                tracing::warn!(error = %reason, delivery = row.pk, "SMTP transaction broke off; marked uncertain");
                self.store.delivery_uncertain(row.pk, &reason).await?;
                report.uncertain += 1;
            }
        }
        Ok(())
    }

    /// Called once rows of an edition were queued: marks it sending, so the send jobs
    /// pick it up.
    pub async fn edition_queued(&self, edition_pk: i64) -> anyhow::Result<()> {
        self.store.edition_set_state(edition_pk, "sending").await?;
        let tag = format!("q{}", self.now_ms());
        for shard in 0..SENDERS {
            self.enqueue_sender(edition_pk, shard, None, &tag).await?;
        }
        Ok(())
    }

    /// Sends batches of an edition as `owner` until none is due or `budget` is spent.
    pub async fn drain(
        &self,
        edition_pk: i64,
        owner: &str,
        budget: Duration,
    ) -> anyhow::Result<Drain> {
        let started = Instant::now();
        self.store.deliveries_sweep(self.now_ms()).await?;
        let cx = self.context(edition_pk).await?;
        loop {
            let r = self.send_batch_in(&cx, owner).await?;
            if r.claimed == 0 {
                break;
            }
            if started.elapsed() >= budget {
                return Ok(Drain::More);
            }
        }
        self.store.deliveries_sweep(self.now_ms()).await?;
        match self.store.delivery_next_due(edition_pk).await? {
            None => {
                self.store.edition_set_state(edition_pk, "done").await?;
                Ok(Drain::Done)
            }
            Some(ms) => Ok(Drain::Later(crate::store::from_millis(ms))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), chrono::Duration::minutes(1));
        assert_eq!(backoff(2), chrono::Duration::minutes(2));
        assert_eq!(backoff(4), chrono::Duration::minutes(8));
        assert_eq!(backoff(30), chrono::Duration::minutes(60));
        assert_eq!(classify(&anyhow::anyhow!("disk full")), Outcome::Unknown);
    }
}
