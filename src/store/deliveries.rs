//! The delivery ledger: one row per (edition, recipient), never two (a UNIQUE key), moving
//! queued -> sending -> sent | failed | uncertain. Workers claim queued rows in small batches
//! under a lease; a row is `sending` only around its SMTP transaction, so a lapsed lease on a
//! `sending` row is the one case where a mail may or may not have left: it becomes
//! `uncertain` and no one sends it again. Also the shared send-rate windows per transport.

use sqlx::Row;

use super::{Backend, Store};

/// A claimed ledger row: what a worker needs to render and send one mail.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRow {
    pub pk: i64,
    pub subscriber_pk: i64,
    pub subscription_pk: i64,
    pub email: String,
    pub payload: Option<String>,
    pub attempts: i64,
}

/// A recipient of a newsletter as the digest composer sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub subscriber_pk: i64,
    pub subscription_pk: i64,
    pub user_pk: Option<i64>,
    pub email: String,
    pub time_zone: Option<String>,
}

type RecipientTuple = (i64, i64, Option<i64>, String, Option<String>);

/// A new ledger row with its own payload (personalized editions).
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub subscriber_pk: i64,
    pub subscription_pk: i64,
    pub email: String,
    pub payload: Option<String>,
}

/// Ledger rows of one edition by state; `queued` counts rows waiting or in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct DeliveryCounts {
    pub recipients: i64,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub uncertain: i64,
}

/// Who may receive: an active subscription, mail not stopped by bounces, an address, and a
/// verified member (visitors verified themselves by the opt-in).
const RECIPIENTS: &str = "FROM subscriptions x JOIN subscribers s ON s.pk = x.subscriber_pk \
    LEFT JOIN users u ON u.pk = s.user_pk WHERE x.newsletter_pk = $1 AND x.state = 'active' \
    AND s.stopped_at IS NULL AND COALESCE(u.email, s.email) IS NOT NULL \
    AND (s.user_pk IS NULL OR u.verified_at IS NOT NULL)";

impl Store {
    /// Queues one row per recipient of `newsletter_pk` for `edition_pk` (only those whose
    /// time zone, or `default_tz` when unset, is `tz` when given). Rows already there stay
    /// as they are; returns how many were added.
    pub async fn deliveries_fan_out(
        &self,
        edition_pk: i64,
        newsletter_pk: i64,
        tz: Option<(&str, &str)>,
        not_before_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<u64> {
        let tz_filter = if tz.is_some() {
            " AND COALESCE(u.time_zone, s.time_zone, $5) = $6"
        } else {
            ""
        };
        let sql = format!(
            "INSERT INTO deliveries (edition_pk, subscriber_pk, subscription_pk, email, state, \
             not_before, queued_at) SELECT $2, s.pk, x.pk, COALESCE(u.email, s.email), \
             'queued', $3, $4 {RECIPIENTS}{tz_filter} \
             ON CONFLICT (edition_pk, subscriber_pk) DO NOTHING"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(newsletter_pk)
            .bind(edition_pk)
            .bind(not_before_ms)
            .bind(now_ms);
        if let Some((zone, default)) = tz {
            q = q.bind(default).bind(zone);
        }
        Ok(q.execute(&self.pool).await?.rows_affected())
    }

    /// Up to `limit` current recipients of a newsletter whose subscriber key is above
    /// `after`, in key order (personalized editions read their list page by page).
    pub async fn newsletter_recipients_page(
        &self,
        newsletter_pk: i64,
        after: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<Recipient>> {
        let sql = format!(
            "SELECT s.pk, x.pk, s.user_pk, COALESCE(u.email, s.email), \
             COALESCE(u.time_zone, s.time_zone) {RECIPIENTS} AND x.subscriber_pk > $2 \
             ORDER BY x.subscriber_pk LIMIT $3"
        );
        let rows: Vec<RecipientTuple> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(newsletter_pk)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(subscriber_pk, subscription_pk, user_pk, email, time_zone)| Recipient {
                    subscriber_pk,
                    subscription_pk,
                    user_pk,
                    email,
                    time_zone,
                },
            )
            .collect())
    }

    /// Queues rows with their own payloads, many per statement; existing ones stay.
    pub async fn deliveries_insert(
        &self,
        edition_pk: i64,
        rows: &[NewDelivery],
        not_before_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<u64> {
        let mut added = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in rows.chunks(100) {
            let values = (0..chunk.len())
                .map(|i| {
                    let b = 4 * i + 4;
                    format!(
                        "($1, ${}, ${}, ${}, 'queued', ${}, $2, $3)",
                        b,
                        b + 1,
                        b + 2,
                        b + 3
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO deliveries (edition_pk, subscriber_pk, subscription_pk, email, \
                 state, payload, not_before, queued_at) VALUES {values} \
                 ON CONFLICT (edition_pk, subscriber_pk) DO NOTHING"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(edition_pk)
                .bind(not_before_ms)
                .bind(now_ms);
            for r in chunk {
                q = q
                    .bind(r.subscriber_pk)
                    .bind(r.subscription_pk)
                    .bind(r.email.as_str())
                    .bind(r.payload.as_deref());
            }
            added += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Claims up to `limit` due, unleased queued rows of an edition for `owner` until
    /// `lease_until_ms`. Two workers never claim the same row at once.
    pub async fn deliveries_claim(
        &self,
        edition_pk: i64,
        owner: &str,
        limit: i64,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> anyhow::Result<Vec<DeliveryRow>> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE deliveries SET lease_owner = $1, lease_until = $2 WHERE pk IN \
             (SELECT pk FROM deliveries WHERE edition_pk = $3 AND state = 'queued' \
             AND not_before <= $4 AND (lease_until IS NULL OR lease_until < $4) \
             ORDER BY pk LIMIT $5{lock}) \
             RETURNING pk, subscriber_pk, subscription_pk, email, payload, attempts"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(owner)
            .bind(lease_until_ms)
            .bind(edition_pk)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(DeliveryRow {
                    pk: r.try_get(0)?,
                    subscriber_pk: r.try_get(1)?,
                    subscription_pk: r.try_get(2)?,
                    email: r.try_get(3)?,
                    payload: r.try_get(4)?,
                    attempts: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        out.sort_by_key(|d| d.pk);
        Ok(out)
    }

    /// Up to `limit` ledger rows of an edition with keys above `after`, in key order,
    /// whatever their state; reads only (previews of what would be sent).
    pub async fn deliveries_page(
        &self,
        edition_pk: i64,
        after: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<DeliveryRow>> {
        let rows: Vec<(i64, i64, i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT pk, subscriber_pk, subscription_pk, email, payload, attempts FROM deliveries \
             WHERE edition_pk = $1 AND pk > $2 ORDER BY pk LIMIT $3",
        )
        .bind(edition_pk)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeliveryRow {
                pk: r.0,
                subscriber_pk: r.1,
                subscription_pk: r.2,
                email: r.3,
                payload: r.4,
                attempts: r.5,
            })
            .collect())
    }

    /// Moves a claimed row to `sending` just before its SMTP transaction. False when the row
    /// is no longer this owner's queued row (then it must not be sent).
    pub async fn delivery_start(
        &self,
        pk: i64,
        owner: &str,
        lease_until_ms: i64,
    ) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, lease_until = $3 \
             WHERE pk = $1 AND lease_owner = $2 AND state = 'queued'",
        )
        .bind(pk)
        .bind(owner)
        .bind(lease_until_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// The server accepted the mail. Also settles a row a sweep judged uncertain meanwhile.
    pub async fn delivery_sent(&self, pk: i64, now_ms: i64) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE deliveries SET state = 'sent', sent_at = $2, lease_owner = NULL, \
             lease_until = NULL, last_error = NULL WHERE pk = $1 \
             AND state IN ('sending', 'uncertain')",
        )
        .bind(pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The mail will not be sent (a permanent refusal, or the subscription ended).
    pub async fn delivery_failed(&self, pk: i64, error: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE deliveries SET state = 'failed', last_error = $2, lease_owner = NULL, \
             lease_until = NULL WHERE pk = $1 AND state IN ('queued', 'sending', 'uncertain')",
        )
        .bind(pk)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The SMTP transaction broke off after it began: the mail may have left.
    pub async fn delivery_uncertain(&self, pk: i64, error: &str) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE deliveries SET state = 'uncertain', last_error = $2, lease_owner = NULL \
             WHERE pk = $1 AND state = 'sending'",
        )
        .bind(pk)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A temporary refusal: back to the queue, not before `retry_at_ms` (also a row a
    /// sweep judged uncertain meanwhile: the server said it did not take the mail).
    pub async fn delivery_retry(
        &self,
        pk: i64,
        retry_at_ms: i64,
        error: &str,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE deliveries SET state = 'queued', not_before = $2, last_error = $3, \
             lease_owner = NULL, lease_until = NULL WHERE pk = $1 \
             AND state IN ('sending', 'uncertain')",
        )
        .bind(pk)
        .bind(retry_at_ms)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Rows left `sending` by a worker whose lease lapsed (it died or hung mid-transaction)
    /// become `uncertain`. Returns how many.
    pub async fn deliveries_sweep(&self, now_ms: i64) -> anyhow::Result<u64> {
        Ok(sqlx::query(
            "UPDATE deliveries SET state = 'uncertain', lease_owner = NULL, \
             last_error = 'the sender stopped during the SMTP transaction' \
             WHERE state = 'sending' AND lease_until < $1",
        )
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Counts of one edition's ledger rows; they always add up to `recipients`.
    pub async fn delivery_counts(&self, edition_pk: i64) -> anyhow::Result<DeliveryCounts> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT state, COUNT(*) FROM deliveries WHERE edition_pk = $1 GROUP BY state",
        )
        .bind(edition_pk)
        .fetch_all(&self.pool)
        .await?;
        let mut c = DeliveryCounts::default();
        for (state, n) in rows {
            match state.as_str() {
                "sent" => c.sent += n,
                "failed" => c.failed += n,
                "uncertain" => c.uncertain += n,
                _ => c.queued += n,
            }
            c.recipients += n;
        }
        Ok(c)
    }

    /// When the next queued row of an edition may be claimed (None: nothing queued).
    pub async fn delivery_next_due(&self, edition_pk: i64) -> anyhow::Result<Option<i64>> {
        let row: (Option<i64>,) = sqlx::query_as(
            "SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > not_before \
             THEN lease_until ELSE not_before END) FROM deliveries \
             WHERE edition_pk = $1 AND state IN ('queued', 'sending')",
        )
        .bind(edition_pk)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.0)
    }

    /// Takes one send from `transport`'s window of `window_ms` if fewer than `limit` were
    /// taken in it; every worker on the database shares the count.
    pub async fn send_rate_take(
        &self,
        transport: &str,
        limit: i64,
        window_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let window = now_ms - now_ms.rem_euclid(window_ms.max(1));
        sqlx::query(
            "INSERT INTO send_rates (transport, window_start, used) VALUES ($1, $2, 0) \
             ON CONFLICT (transport) DO NOTHING",
        )
        .bind(transport)
        .bind(window)
        .execute(&self.pool)
        .await?;
        let n = sqlx::query(
            "UPDATE send_rates SET used = CASE WHEN window_start = $2 THEN used + 1 ELSE 1 END, \
             window_start = $2 WHERE transport = $1 AND (window_start <> $2 OR used < $3)",
        )
        .bind(transport)
        .bind(window)
        .bind(limit)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}
