//! Feed sources as a user manages them: add (name, URL, interval, section, full content),
//! list with their health, remove, and OPML in and out (see [`opml`]).

pub mod cli;
pub mod opml;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::Section;
use crate::store::sources::{NewSource, SourceRow};
use crate::store::{Store, from_millis, to_millis};

/// The interval when none is given.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(30 * 60);

/// Why a source cannot be added; each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("source name {0:?}: use letters, digits, '.', '_' or '-' (at most 100 characters)")]
    BadName(String),
    #[error("source URL {0}")]
    BadUrl(String),
    #[error(
        "interval {0:?}: expected a number and a unit, such as 90s, 30m, 2h or 1d (1 minute to 7 days)"
    )]
    BadInterval(String),
    #[error("section {0:?} is not one of: {1}")]
    BadSection(String, String),
    #[error("a source named {0:?} already exists")]
    Exists(String),
}

/// A source as the user asks for it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    pub name: String,
    pub url: String,
    pub every: Duration,
    pub section: Option<Section>,
    pub category: Option<String>,
    pub full_content: bool,
}

impl SourceSpec {
    /// Checks name, URL and section.
    pub fn parse(
        name: &str,
        url: &str,
        every: Duration,
        section: Option<&str>,
        full_content: bool,
    ) -> Result<SourceSpec, SourceError> {
        let name = name.trim();
        let name_ok = !name.is_empty()
            && name.chars().count() <= 100
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !name_ok {
            return Err(SourceError::BadName(name.to_string()));
        }
        let parsed =
            super::fetch::parse_url(url).map_err(|e| SourceError::BadUrl(e.to_string()))?;
        let section = match section.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(Section::parse(s).ok_or_else(|| {
                let all: Vec<&str> = Section::ALL.iter().map(|s| s.slug()).collect();
                SourceError::BadSection(s.to_string(), all.join(", "))
            })?),
        };
        Ok(SourceSpec {
            name: name.to_string(),
            url: parsed.to_string(),
            every,
            section,
            category: None,
            full_content,
        })
    }
}

/// Reads `90s`, `30m`, `2h`, `1d` (a bare number is minutes), from one minute to seven days.
pub fn parse_every(s: &str) -> Result<Duration, SourceError> {
    let t = s.trim();
    let bad = || SourceError::BadInterval(s.to_string());
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "s" => n,
        "" | "m" | "min" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86400),
        _ => return Err(bad()),
    };
    if !(60..=7 * 86400).contains(&secs) {
        return Err(bad());
    }
    Ok(Duration::from_secs(secs))
}

/// Writes a duration the way [`parse_every`] reads it.
pub fn format_every(d: Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(86400) {
        format!("{}d", s / 86400)
    } else if s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// Adds a source, due for its first poll at once.
pub async fn add(store: &Store, spec: &SourceSpec) -> anyhow::Result<()> {
    let new = NewSource {
        name: spec.name.clone(),
        url: spec.url.clone(),
        section: spec.section.map(|s| s.slug().to_string()),
        category: spec.category.clone(),
        full_content: spec.full_content,
        every_secs: spec.every.as_secs() as i64,
    };
    if !store.add_source(&new, to_millis(Utc::now())).await? {
        return Err(SourceError::Exists(spec.name.clone()).into());
    }
    Ok(())
}

/// Removes the source `name` and, unless `keep_articles`, its articles (from the store and
/// the search index); `None` when there is no such source, else the articles removed.
pub async fn remove(
    state: &crate::app::AppState,
    name: &str,
    keep_articles: bool,
) -> anyhow::Result<Option<u64>> {
    if state.store.source(name).await?.is_none() {
        return Ok(None);
    }
    let removed = if keep_articles {
        0
    } else {
        state.newsroom.remove(name, None).await?
    };
    state.store.delete_source(name).await?;
    Ok(Some(removed))
}

/// One source with its health, as `source list --json`, `/admin/sources` and the API show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceHealth {
    pub name: String,
    pub url: String,
    pub title: Option<String>,
    pub section: Option<String>,
    pub category: Option<String>,
    pub full_content: bool,
    pub every: String,
    /// The interval in force, adapted to the feed's publishing rate.
    pub interval: String,
    pub last_status: Option<String>,
    pub last_error: Option<String>,
    pub last_checked: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub failures: i64,
    pub next_check: DateTime<Utc>,
    /// Articles stored from this source.
    pub articles: i64,
    /// Articles imported in the last seven days.
    pub articles_week: i64,
}

impl SourceHealth {
    fn new(s: SourceRow, counts: (i64, i64)) -> SourceHealth {
        SourceHealth {
            every: format_every(Duration::from_secs(s.every_secs.max(0) as u64)),
            interval: format_every(Duration::from_secs(s.interval_secs.max(0) as u64)),
            name: s.name,
            url: s.url,
            title: s.title,
            section: s.section,
            category: s.category,
            full_content: s.full_content,
            last_status: s.last_status,
            last_error: s.last_error,
            last_checked: s.last_checked.map(from_millis),
            last_success: s.last_success.map(from_millis),
            failures: s.failures,
            next_check: from_millis(s.next_check),
            articles: counts.0,
            articles_week: counts.1,
        }
    }
}

/// Every source with its health, by name.
pub async fn list(store: &Store) -> anyhow::Result<Vec<SourceHealth>> {
    let week_ago = to_millis(Utc::now()) - 7 * 86_400_000;
    let counts = store.source_article_counts(week_ago).await?;
    Ok(store
        .sources()
        .await?
        .into_iter()
        .map(|s| {
            let c = counts.get(&s.name).copied().unwrap_or((0, 0));
            SourceHealth::new(s, c)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_and_write_back() {
        for (s, secs) in [
            ("30m", 1800),
            ("90s", 90),
            ("2h", 7200),
            ("1d", 86400),
            ("45", 2700),
        ] {
            assert_eq!(parse_every(s).map(|d| d.as_secs()), Ok(secs), "{s}");
        }
        for s in ["", "5s", "8d", "m", "3w", "-5m", "99999999999999999999m"] {
            assert!(parse_every(s).is_err(), "{s}");
        }
        assert_eq!(format_every(Duration::from_secs(1800)), "30m");
        assert_eq!(format_every(Duration::from_secs(90)), "90s");
    }

    #[test]
    fn specs_name_the_bad_field() {
        let every = DEFAULT_EVERY;
        let ok = SourceSpec::parse(
            "الوسط",
            "https://alwasat.ly/feed",
            every,
            Some("sport"),
            false,
        )
        .expect("valid");
        assert_eq!(ok.section, Some(Section::Sport));
        assert!(matches!(
            SourceSpec::parse("a b", "https://x.y/", every, None, false),
            Err(SourceError::BadName(_))
        ));
        assert!(matches!(
            SourceSpec::parse("a", "ftp://x.y/", every, None, false),
            Err(SourceError::BadUrl(_))
        ));
        assert!(matches!(
            SourceSpec::parse("a", "https://x.y/", every, Some("weather"), false),
            Err(SourceError::BadSection(..))
        ));
    }
}
