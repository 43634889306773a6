//! Newsletters, the use-cases of sending: the lists (brief, breaking, section, digest,
//! manual), subscribing (members in one click, visitors by double opt-in, CSV imports),
//! composing editions, scheduling them in each member's time zone, rendering RTL e-mail, and
//! the delivery ledger that sends each edition at most once to each recipient.

pub mod cli;
pub mod compose;
pub mod deliver;
pub mod digest;
pub mod import;
pub mod jobs;
mod mails;
pub mod message;
pub mod optin;
pub mod outcome;
pub mod render;
pub mod schedule;
pub mod subscribe;
pub mod tick;
pub mod tokens;

use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::mail::Mailer;
use crate::model::Section;
use crate::store::{NewsletterRow, Store};

pub use schedule::Schedule;

/// What a newsletter sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The day's top stories.
    Brief,
    /// One article, when an editor marks it breaking.
    Breaking,
    /// The newest stories of one section.
    Section,
    /// Personalized from each member's For-you ranking, with its reasons.
    Digest,
    /// Composed by an editor.
    Manual,
}

impl Kind {
    /// Every kind, in the order the CLI documents them.
    pub const ALL: [Kind; 5] = [
        Kind::Brief,
        Kind::Breaking,
        Kind::Section,
        Kind::Digest,
        Kind::Manual,
    ];

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Brief => "brief",
            Kind::Breaking => "breaking",
            Kind::Section => "section",
            Kind::Digest => "digest",
            Kind::Manual => "manual",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A newsletter, parsed from its row.
#[derive(Debug, Clone, PartialEq)]
pub struct Newsletter {
    pub pk: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: Kind,
    pub section: Option<Section>,
    pub schedule: Schedule,
    /// Fewer items than this and the edition is skipped as too thin.
    pub min_items: usize,
}

impl Newsletter {
    /// Parses a stored row; a row no version of sahifa wrote is an error naming it.
    pub fn from_row(r: NewsletterRow) -> anyhow::Result<Newsletter> {
        let kind = Kind::parse(&r.kind)
            .with_context(|| format!("newsletter {}: unknown kind {:?}", r.slug, r.kind))?;
        let schedule = Schedule::parse(&r.schedule)
            .map_err(|e| anyhow::anyhow!("newsletter {}: schedule {e}", r.slug))?;
        Ok(Newsletter {
            pk: r.pk,
            slug: r.slug,
            name: r.name,
            description: r.description,
            kind,
            section: r.section.as_deref().and_then(Section::parse),
            schedule,
            min_items: usize::try_from(r.min_items).unwrap_or(1),
        })
    }
}

/// One article in an edition, as the e-mail and the archive show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub source: String,
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Why a personalized edition lists it ("لأنك تتابع ليبيا").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The time source; tests inject a fixed or stepping clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The newsletter service; cheap to clone.
#[derive(Clone)]
pub struct Newsletters {
    pub store: Store,
    pub mailer: Arc<dyn Mailer>,
    pub config: Arc<Config>,
    pub clock: Clock,
    limiter: Arc<crate::accounts::RateLimiter>,
    /// Where sends are queued (None: nothing runs them, as in some unit tests).
    jobs: Option<crate::jobs::Queue>,
    from: Mailbox,
    secret: Arc<Vec<u8>>,
    dkim: Option<Arc<lettre::message::dkim::DkimConfig>>,
    /// The For-you ranking personalized digests are made of (None: the newest stories).
    reader: Option<crate::reader::Reader>,
}

impl Newsletters {
    /// Builds the service: the signing secret (made once per site and kept in the
    /// database, so every node signs alike), the sender and the DKIM key when configured.
    pub async fn new(
        store: Store,
        mailer: Arc<dyn Mailer>,
        config: Arc<Config>,
        limiter: Arc<crate::accounts::RateLimiter>,
        jobs: Option<crate::jobs::Queue>,
        clock: Clock,
    ) -> anyhow::Result<Newsletters> {
        let fresh = crate::accounts::tokens::random_token();
        let secret = store
            .setting_or_insert("newsletter_secret", &fresh)
            .await
            .context("reading the newsletter signing secret")?;
        let from = crate::mail::sender(&config)?;
        let dkim = message::dkim_from_config(&config)?.map(Arc::new);
        Ok(Newsletters {
            store,
            mailer,
            config,
            clock,
            limiter,
            jobs,
            from,
            secret: Arc::new(secret.into_bytes()),
            dkim,
            reader: None,
        })
    }

    /// The same service making digests from `reader`'s For-you ranking.
    pub fn with_reader(self, reader: crate::reader::Reader) -> Newsletters {
        Newsletters {
            reader: Some(reader),
            ..self
        }
    }

    /// The same service reading time from `clock` (tests).
    pub fn with_clock(&self, clock: Clock) -> Newsletters {
        Newsletters {
            clock,
            ..self.clone()
        }
    }

    /// Now, by the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// Every newsletter.
    pub async fn list(&self) -> anyhow::Result<Vec<Newsletter>> {
        self.store
            .newsletters()
            .await?
            .into_iter()
            .map(Newsletter::from_row)
            .collect()
    }

    /// One newsletter by slug.
    pub async fn by_slug(&self, slug: &str) -> anyhow::Result<Option<Newsletter>> {
        self.store
            .newsletter_by_slug(slug)
            .await?
            .map(Newsletter::from_row)
            .transpose()
    }

    /// The public address of a path on this site (`base_url` + path).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url.trim_end_matches('/'), path)
    }
}

/// Parses an IANA time zone name (`Africa/Cairo`); None for anything else.
pub fn parse_time_zone(name: &str) -> Option<chrono_tz::Tz> {
    name.trim().parse::<chrono_tz::Tz>().ok()
}
