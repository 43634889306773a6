//! Subscribers (a member, or a visitor's confirmed address) and their subscriptions, one
//! per newsletter: pending (double opt-in under way), active or ended. Also the member's
//! time zone, which scheduled sends follow.

use super::Store;

/// A subscription's state and what the rest of the program needs of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRow {
    pub pk: i64,
    pub newsletter_pk: i64,
    pub subscriber_pk: i64,
    pub state: String,
}

/// A subscriber's bounce record as shown on `/account`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BounceRecord {
    pub hard_bounces: i64,
    pub soft_bounces: i64,
    pub stopped: bool,
}

impl Store {
    /// The subscriber row of member `user_pk`, made when missing.
    pub async fn subscriber_for_user(&self, user_pk: i64, now_ms: i64) -> anyhow::Result<i64> {
        sqlx::query(
            "INSERT INTO subscribers (user_pk, created) VALUES ($1, $2) \
             ON CONFLICT (user_pk) DO NOTHING",
        )
        .bind(user_pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        let (pk,): (i64,) = sqlx::query_as("SELECT pk FROM subscribers WHERE user_pk = $1")
            .bind(user_pk)
            .fetch_one(&self.pool)
            .await?;
        Ok(pk)
    }

    /// The member whose (normalised) address is `email`, if any.
    pub async fn user_pk_by_email(&self, email: &str) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT pk FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// The subscriber row of a visitor address, made when missing; a name or time zone given
    /// now fills the ones not yet known. Says whether the row is new.
    pub async fn subscriber_for_email(
        &self,
        email: &str,
        name: Option<&str>,
        time_zone: Option<&str>,
        now_ms: i64,
    ) -> anyhow::Result<(i64, bool)> {
        let inserted = sqlx::query(
            "INSERT INTO subscribers (email, name, time_zone, created) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email)
        .bind(name)
        .bind(time_zone)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if !inserted && (name.is_some() || time_zone.is_some()) {
            sqlx::query(
                "UPDATE subscribers SET name = COALESCE(name, $2), \
                 time_zone = COALESCE(time_zone, $3) WHERE email = $1",
            )
            .bind(email)
            .bind(name)
            .bind(time_zone)
            .execute(&self.pool)
            .await?;
        }
        let (pk,): (i64,) = sqlx::query_as("SELECT pk FROM subscribers WHERE email = $1")
            .bind(email)
            .fetch_one(&self.pool)
            .await?;
        Ok((pk, inserted))
    }

    /// Makes the subscription active (a member's click, an import, a confirmed opt-in).
    /// Says whether anything changed.
    pub async fn subscription_activate(
        &self,
        newsletter_pk: i64,
        subscriber_pk: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "INSERT INTO subscriptions (newsletter_pk, subscriber_pk, state, created, \
             confirmed_at) VALUES ($1, $2, 'active', $3, $3) \
             ON CONFLICT (newsletter_pk, subscriber_pk) DO UPDATE SET state = 'active', \
             confirmed_at = $3, ended_at = NULL, confirm_hash = NULL \
             WHERE subscriptions.state <> 'active'",
        )
        .bind(newsletter_pk)
        .bind(subscriber_pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Adds an active subscription unless one exists in any state (an import never
    /// brings back someone who left). Says whether it was added.
    pub async fn subscription_import(
        &self,
        newsletter_pk: i64,
        subscriber_pk: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "INSERT INTO subscriptions (newsletter_pk, subscriber_pk, state, created, \
             confirmed_at) VALUES ($1, $2, 'active', $3, $3) \
             ON CONFLICT (newsletter_pk, subscriber_pk) DO NOTHING",
        )
        .bind(newsletter_pk)
        .bind(subscriber_pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Starts (or restarts) a double opt-in, unless the subscription is active already.
    /// Says whether a confirmation should be sent.
    pub async fn subscription_pending(
        &self,
        newsletter_pk: i64,
        subscriber_pk: i64,
        confirm_hash: &str,
        expires_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "INSERT INTO subscriptions (newsletter_pk, subscriber_pk, state, confirm_hash, \
             confirm_expires, created) VALUES ($1, $2, 'pending', $3, $4, $5) \
             ON CONFLICT (newsletter_pk, subscriber_pk) DO UPDATE SET state = 'pending', \
             confirm_hash = $3, confirm_expires = $4 WHERE subscriptions.state <> 'active'",
        )
        .bind(newsletter_pk)
        .bind(subscriber_pk)
        .bind(confirm_hash)
        .bind(expires_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// The newsletter of a live opt-in link, without confirming it.
    pub async fn pending_newsletter(
        &self,
        confirm_hash: &str,
        now_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT newsletter_pk FROM subscriptions WHERE confirm_hash = $1 \
             AND state = 'pending' AND confirm_expires > $2",
        )
        .bind(confirm_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Confirms an opt-in; the newsletter's key when the link was live.
    pub async fn subscription_confirm(
        &self,
        confirm_hash: &str,
        now_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE subscriptions SET state = 'active', confirmed_at = $2, confirm_hash = NULL, \
             ended_at = NULL WHERE confirm_hash = $1 AND state = 'pending' \
             AND confirm_expires > $2 RETURNING newsletter_pk",
        )
        .bind(confirm_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// One subscription by key.
    pub async fn subscription(&self, pk: i64) -> anyhow::Result<Option<SubscriptionRow>> {
        let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT pk, newsletter_pk, subscriber_pk, state FROM subscriptions WHERE pk = $1",
        )
        .bind(pk)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(pk, newsletter_pk, subscriber_pk, state)| SubscriptionRow {
                pk,
                newsletter_pk,
                subscriber_pk,
                state,
            },
        ))
    }

    /// Which of `pks` are active subscriptions whose subscriber still gets mail.
    pub async fn live_subscriptions(
        &self,
        pks: &[i64],
    ) -> anyhow::Result<std::collections::HashSet<i64>> {
        if pks.is_empty() {
            return Ok(Default::default());
        }
        let list = (1..=pks.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT x.pk FROM subscriptions x JOIN subscribers s ON s.pk = x.subscriber_pk \
             WHERE x.pk IN ({list}) AND x.state = 'active' AND s.stopped_at IS NULL"
        );
        let mut q = sqlx::query_as::<_, (i64,)>(sqlx::AssertSqlSafe(sql));
        for pk in pks {
            q = q.bind(*pk);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect())
    }

    /// Ends one subscription; says whether it was not ended already.
    pub async fn subscription_end(&self, pk: i64, now_ms: i64) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "UPDATE subscriptions SET state = 'ended', ended_at = $2, confirm_hash = NULL \
             WHERE pk = $1 AND state <> 'ended'",
        )
        .bind(pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Ends member `user_pk`'s subscription to a newsletter; says whether one was live.
    pub async fn member_subscription_end(
        &self,
        newsletter_pk: i64,
        user_pk: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let n = sqlx::query(
            "UPDATE subscriptions SET state = 'ended', ended_at = $3 WHERE newsletter_pk = $1 \
             AND state <> 'ended' AND subscriber_pk = \
             (SELECT pk FROM subscribers WHERE user_pk = $2)",
        )
        .bind(newsletter_pk)
        .bind(user_pk)
        .bind(now_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n > 0)
    }

    /// Keys of the newsletters member `user_pk` is actively subscribed to.
    pub async fn member_newsletters(&self, user_pk: i64) -> anyhow::Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT x.newsletter_pk FROM subscriptions x JOIN subscribers s \
             ON s.pk = x.subscriber_pk WHERE s.user_pk = $1 AND x.state = 'active'",
        )
        .bind(user_pk)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Bounce counts of member `user_pk` (all zero when they never subscribed).
    pub async fn member_bounces(&self, user_pk: i64) -> anyhow::Result<BounceRecord> {
        let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT hard_bounces, soft_bounces, stopped_at FROM subscribers WHERE user_pk = $1",
        )
        .bind(user_pk)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|(h, s, stopped)| BounceRecord {
                hard_bounces: h,
                soft_bounces: s,
                stopped: stopped.is_some(),
            })
            .unwrap_or_default())
    }

    /// Counts a bounce; `hard` ones past `stop_after` stop all mail to the subscriber.
    /// Says whether mail is now stopped.
    pub async fn subscriber_bounce(
        &self,
        subscriber_pk: i64,
        hard: bool,
        stop_after: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let row: Option<(Option<i64>,)> = if hard {
            sqlx::query_as(
                "UPDATE subscribers SET hard_bounces = hard_bounces + 1, stopped_at = CASE \
                 WHEN hard_bounces + 1 >= $2 THEN COALESCE(stopped_at, $3) ELSE stopped_at END \
                 WHERE pk = $1 RETURNING stopped_at",
            )
            .bind(subscriber_pk)
            .bind(stop_after)
            .bind(now_ms)
            .fetch_optional(&self.pool)
            .await?
        } else {
            sqlx::query_as(
                "UPDATE subscribers SET soft_bounces = soft_bounces + 1 WHERE pk = $1 \
                 RETURNING stopped_at",
            )
            .bind(subscriber_pk)
            .fetch_optional(&self.pool)
            .await?
        };
        Ok(row.and_then(|r| r.0).is_some())
    }

    /// Lets mail flow again to member `user_pk` after they fixed their address.
    pub async fn member_bounces_clear(&self, user_pk: i64) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE subscribers SET hard_bounces = 0, soft_bounces = 0, stopped_at = NULL \
             WHERE user_pk = $1",
        )
        .bind(user_pk)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores member `user_pk`'s IANA time zone (None clears it).
    pub async fn set_user_time_zone(
        &self,
        user_pk: i64,
        time_zone: Option<&str>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE pk = $2")
            .bind(time_zone)
            .bind(user_pk)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Member `user_pk`'s time zone, if set.
    pub async fn user_time_zone(&self, user_pk: i64) -> anyhow::Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT time_zone FROM users WHERE pk = $1")
                .bind(user_pk)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// The distinct time zones of a newsletter's active subscribers (None: not set).
    pub async fn subscriber_time_zones(
        &self,
        newsletter_pk: i64,
    ) -> anyhow::Result<Vec<Option<String>>> {
        let rows: Vec<(Option<String>,)> = sqlx::query_as(
            "SELECT DISTINCT COALESCE(u.time_zone, s.time_zone) FROM subscriptions x \
             JOIN subscribers s ON s.pk = x.subscriber_pk LEFT JOIN users u ON u.pk = s.user_pk \
             WHERE x.newsletter_pk = $1 AND x.state = 'active' AND s.stopped_at IS NULL",
        )
        .bind(newsletter_pk)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// (confirmed_at, ended_at) of every subscription that was ever active, for the admin's
    /// subscribers-over-time chart.
    pub async fn subscription_spans(
        &self,
        newsletter_pk: i64,
    ) -> anyhow::Result<Vec<(i64, Option<i64>)>> {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT confirmed_at, ended_at FROM subscriptions WHERE newsletter_pk = $1 \
             AND confirmed_at IS NOT NULL ORDER BY confirmed_at",
        )
        .bind(newsletter_pk)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Active subscribers of each newsletter, by key.
    pub async fn subscriber_counts(&self) -> anyhow::Result<Vec<(i64, i64)>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT newsletter_pk, COUNT(*) FROM subscriptions WHERE state = 'active' \
             GROUP BY newsletter_pk",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
