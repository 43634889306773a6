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

use super::Newsletters;
use super::mails::EditionMails;
use super::outcome::{Answer, Settled};
pub use super::outcome::{BatchReport, Outcome, backoff, classify};
use crate::store::DeliveryRow;

/// Sender jobs started per edition (each claims its own batches; more workers, more speed).
pub const SENDERS: u32 = 2;
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
        let cx = self.edition_mails(edition_pk).await?;
        self.send_batch_in(&cx, owner).await
    }

    async fn send_batch_in(&self, cx: &EditionMails, owner: &str) -> anyhow::Result<BatchReport> {
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
        let to_send: Vec<DeliveryRow> = rows
            .iter()
            .filter(|r| live.contains(&r.subscription_pk))
            .cloned()
            .collect();
        if let Err(e) = self.prepare(cx, &to_send).await {
            // Each row then renders on its own, and one that cannot is marked failed.
            tracing::warn!(error = %format!("{e:#}"), edition = cx.edition.pk, "cannot render a batch of newsletter mails at once");
        }
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
            // The start, the SMTP transaction and its record run in their own task: when
            // the job is cancelled (its lease lapsed under load, or the runner stops), the
            // mail in hand still finishes and is recorded, so only a dead process leaves a
            // `sending` row behind, one per sender at most.
            let (this, row, owner) = (self.clone(), row.clone(), owner.to_string());
            let one = tokio::spawn(async move { this.send_one(&row, &owner, &mail).await });
            match one.await.context("a newsletter send task failed")?? {
                Some(o) => report.add(o),
                None => continue,
            }
        }
        Ok(report)
    }

    /// Marks `row` sending, runs its SMTP transaction and records the answer; None when the
    /// row is no longer this owner's to send.
    async fn send_one(
        &self,
        row: &DeliveryRow,
        owner: &str,
        mail: &lettre::Message,
    ) -> anyhow::Result<Option<Settled>> {
        let lease_until = (self.now() + self.lease()).timestamp_millis();
        if !self
            .store
            .delivery_start(row.pk, owner, lease_until)
            .await?
        {
            return Ok(None);
        }
        let answer = match self.mailer.send_message(mail).await {
            Ok(()) => Answer {
                outcome: Outcome::Sent,
                reason: String::new(),
                soft_bounce: false,
            },
            Err(e) => Answer {
                outcome: classify(&e),
                reason: format!("{e:#}"),
                soft_bounce: e
                    .downcast_ref::<lettre::transport::smtp::Error>()
                    .is_some_and(|s| s.is_transient()),
            },
        };
        // The answer is known now; a busy database must not turn it into `uncertain`.
        let mut round = 0u64;
        loop {
            match self.record(row, &answer).await {
                Ok(s) => return Ok(Some(s)),
                Err(e) if round < 4 => {
                    round += 1;
                    tracing::warn!(error = %format!("{e:#}"), delivery = row.pk, round, "recording a send; trying again");
                    tokio::time::sleep(Duration::from_millis(250 * round)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Stores how one SMTP attempt ended.
    async fn record(&self, row: &DeliveryRow, a: &Answer) -> anyhow::Result<Settled> {
        let now = self.now();
        let reason = a.reason.as_str();
        match a.outcome {
            Outcome::Sent => {
                self.store
                    .delivery_sent(row.pk, now.timestamp_millis())
                    .await?;
                Ok(Settled::Sent)
            }
            Outcome::Permanent => {
                self.store.delivery_failed(row.pk, reason).await?;
                let limit = i64::from(self.config.newsletter_bounce_limit.max(1));
                self.store
                    .subscriber_bounce(row.subscriber_pk, true, limit, now.timestamp_millis())
                    .await?;
                Ok(Settled::Failed)
            }
            Outcome::Temporary if row.attempts + 1 < MAX_ATTEMPTS => {
                let at = now + backoff(row.attempts + 1);
                self.store
                    .delivery_retry(row.pk, at.timestamp_millis(), reason)
                    .await?;
                if a.soft_bounce {
                    self.store
                        .subscriber_bounce(row.subscriber_pk, false, 0, now.timestamp_millis())
                        .await?;
                }
                Ok(Settled::Retried)
            }
            Outcome::Temporary => {
                self.store.delivery_failed(row.pk, reason).await?;
                Ok(Settled::Failed)
            }
            Outcome::Unknown => {
                tracing::warn!(error = %reason, delivery = row.pk, "SMTP transaction broke off; marked uncertain");
                self.store.delivery_uncertain(row.pk, reason).await?;
                Ok(Settled::Uncertain)
            }
        }
    }

    /// Called once rows of an edition were queued: marks it sending, so the send jobs
    /// pick it up.
    pub async fn edition_queued(&self, edition_pk: i64) -> anyhow::Result<()> {
        self.store.edition_set_state(edition_pk, "sending").await?;
        self.start_senders(edition_pk, &format!("q{}", self.now_ms()))
            .await
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
        let cx = self.edition_mails(edition_pk).await?;
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
                self.store.edition_finish(edition_pk).await?;
                Ok(Drain::Done)
            }
            Some(ms) => Ok(Drain::Later(crate::store::from_millis(ms))),
        }
    }
}
