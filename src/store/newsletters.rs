//! Newsletter and edition rows: the lists an admin defines and each edition composed for
//! them (its subject, preheader and article items, kept for the public archive).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Store;

/// A newsletter as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewsletterRow {
    pub pk: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub section: Option<String>,
    pub schedule: String,
    pub min_items: i64,
    pub created: i64,
}

/// What a new newsletter is made of.
#[derive(Debug, Clone)]
pub struct NewNewsletter<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub kind: &'a str,
    pub section: Option<&'a str>,
    pub schedule: &'a str,
    pub min_items: i64,
}

/// An edition as stored; `items` is JSON written by the newsletter module.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionRow {
    pub pk: i64,
    pub newsletter_pk: i64,
    pub period: String,
    pub subject: String,
    pub preheader: String,
    pub intro: String,
    pub items: String,
    pub state: String,
    pub created: i64,
}

/// What a new edition is made of.
#[derive(Debug, Clone)]
pub struct NewEdition<'a> {
    pub newsletter_pk: i64,
    pub period: &'a str,
    pub subject: &'a str,
    pub preheader: &'a str,
    pub intro: &'a str,
    pub items: &'a str,
    pub state: &'a str,
}

const NL_COLUMNS: &str = "pk, slug, name, description, kind, section, schedule, min_items, created";
const ED_COLUMNS: &str =
    "pk, newsletter_pk, period, subject, preheader, intro, items, state, created";

fn decode_newsletter(r: &AnyRow) -> Result<NewsletterRow, sqlx::Error> {
    Ok(NewsletterRow {
        pk: r.try_get("pk")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        kind: r.try_get("kind")?,
        section: r.try_get("section")?,
        schedule: r.try_get("schedule")?,
        min_items: r.try_get("min_items")?,
        created: r.try_get("created")?,
    })
}

fn decode_edition(r: &AnyRow) -> Result<EditionRow, sqlx::Error> {
    Ok(EditionRow {
        pk: r.try_get("pk")?,
        newsletter_pk: r.try_get("newsletter_pk")?,
        period: r.try_get("period")?,
        subject: r.try_get("subject")?,
        preheader: r.try_get("preheader")?,
        intro: r.try_get("intro")?,
        items: r.try_get("items")?,
        state: r.try_get("state")?,
        created: r.try_get("created")?,
    })
}

impl Store {
    /// Adds a newsletter; None when the slug is taken.
    pub async fn newsletter_insert(
        &self,
        n: &NewNewsletter<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO newsletters (slug, name, description, kind, section, schedule, \
             min_items, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (slug) DO NOTHING RETURNING pk",
        )
        .bind(n.slug)
        .bind(n.name)
        .bind(n.description)
        .bind(n.kind)
        .bind(n.section)
        .bind(n.schedule)
        .bind(n.min_items)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Every newsletter, in the order they were added.
    pub async fn newsletters(&self) -> anyhow::Result<Vec<NewsletterRow>> {
        let sql = format!("SELECT {NL_COLUMNS} FROM newsletters ORDER BY pk");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(decode_newsletter)
            .collect::<Result<_, _>>()?)
    }

    /// One newsletter by slug.
    pub async fn newsletter_by_slug(&self, slug: &str) -> anyhow::Result<Option<NewsletterRow>> {
        let sql = format!("SELECT {NL_COLUMNS} FROM newsletters WHERE slug = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(decode_newsletter).transpose()?)
    }

    /// One newsletter by key.
    pub async fn newsletter(&self, pk: i64) -> anyhow::Result<Option<NewsletterRow>> {
        let sql = format!("SELECT {NL_COLUMNS} FROM newsletters WHERE pk = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(pk)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(decode_newsletter).transpose()?)
    }

    /// Records an edition for `(newsletter, period)`; None when one exists already (so two
    /// schedulers racing for the same period make one edition).
    pub async fn edition_insert(
        &self,
        e: &NewEdition<'_>,
        now_ms: i64,
    ) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO editions (newsletter_pk, period, subject, preheader, intro, items, \
             state, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (newsletter_pk, period) DO NOTHING RETURNING pk",
        )
        .bind(e.newsletter_pk)
        .bind(e.period)
        .bind(e.subject)
        .bind(e.preheader)
        .bind(e.intro)
        .bind(e.items)
        .bind(e.state)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// One edition by key.
    pub async fn edition(&self, pk: i64) -> anyhow::Result<Option<EditionRow>> {
        let sql = format!("SELECT {ED_COLUMNS} FROM editions WHERE pk = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(pk)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(decode_edition).transpose()?)
    }

    /// The edition of `newsletter` for `period`, if made.
    pub async fn edition_for_period(
        &self,
        newsletter_pk: i64,
        period: &str,
    ) -> anyhow::Result<Option<EditionRow>> {
        let sql =
            format!("SELECT {ED_COLUMNS} FROM editions WHERE newsletter_pk = $1 AND period = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(newsletter_pk)
            .bind(period)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(decode_edition).transpose()?)
    }

    /// Editions of a newsletter that were sent (not skipped), newest first.
    pub async fn editions_of(
        &self,
        newsletter_pk: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<EditionRow>> {
        let sql = format!(
            "SELECT {ED_COLUMNS} FROM editions WHERE newsletter_pk = $1 AND state <> 'skipped' \
             ORDER BY created DESC, pk DESC LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(newsletter_pk)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(decode_edition).collect::<Result<_, _>>()?)
    }

    /// Sets an edition's state (`sending`, `done`, `skipped`).
    pub async fn edition_set_state(&self, pk: i64, state: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE editions SET state = $1 WHERE pk = $2")
            .bind(state)
            .bind(pk)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks an edition done unless rows of it are still queued or sending (rows queued
    /// for another time zone meanwhile keep it sending). True when it is done now.
    pub async fn edition_finish(&self, pk: i64) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "UPDATE editions SET state = 'done' WHERE pk = $1 AND state = 'sending' \
             AND NOT EXISTS (SELECT 1 FROM deliveries WHERE edition_pk = $1 \
             AND state IN ('queued', 'sending'))",
        )
        .bind(pk)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Unique keys starting with `prefix` of jobs of `kind` that are queued or running
    /// (e.g. the live senders of one edition). `_` and `%` in `prefix` match loosely; the
    /// caller checks what it parses.
    pub async fn live_job_keys(&self, kind: &str, prefix: &str) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT unique_key FROM jobs WHERE kind = $1 AND state IN ('queued', 'running') \
             AND unique_key LIKE $2",
        )
        .bind(kind)
        .bind(format!("{prefix}%"))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Gives a pending subscription a new confirmation hash and expiry; the address to mail
    /// when it is still pending (None: confirmed, ended or gone meanwhile).
    pub async fn subscription_reissue(
        &self,
        newsletter_pk: i64,
        subscriber_pk: i64,
        confirm_hash: &str,
        expires_ms: i64,
    ) -> anyhow::Result<Option<String>> {
        let n = sqlx::query(
            "UPDATE subscriptions SET confirm_hash = $3, confirm_expires = $4 \
             WHERE newsletter_pk = $1 AND subscriber_pk = $2 AND state = 'pending'",
        )
        .bind(newsletter_pk)
        .bind(subscriber_pk)
        .bind(confirm_hash)
        .bind(expires_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Ok(None);
        }
        let row: Option<(Option<String>,)> = sqlx::query_as(
            "SELECT COALESCE(u.email, s.email) FROM subscribers s \
             LEFT JOIN users u ON u.pk = s.user_pk WHERE s.pk = $1",
        )
        .bind(subscriber_pk)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Editions still sending, oldest first (what the send jobs work through).
    pub async fn editions_sending(&self) -> anyhow::Result<Vec<i64>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT pk FROM editions WHERE state = 'sending' ORDER BY pk")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The setting `key`, stored as `value` first if it has none (the first node to ask
    /// decides, every other node reads the same value).
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> anyhow::Result<String> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        let (v,): (String,) = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(v)
    }
}
