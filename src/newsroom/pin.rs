//! An editor's pin: a published article put at the top of every member's For-you feed
//! (reason «اختاره المحررون», kind `pinned`) until a time, from the desk or `sahifa pin`.

use chrono::{DateTime, Duration, Utc};

use super::Newsroom;
use crate::store::to_millis;

/// How long a pin lasts when the editor does not say (the desk form and `sahifa pin`).
pub const DEFAULT_PIN_HOURS: i64 = 24;

/// The longest a pin may last: a week (a pin that outlives the news is a mistake).
pub const MAX_PIN_HOURS: i64 = 24 * 7;

/// Why a pin was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PinRefusal {
    NoSuchArticle,
    NotPublished,
    BadHours,
}

impl Newsroom {
    /// Pins `source/id` for `hours` (1 to [`MAX_PIN_HOURS`]) by editor `by` (None from the
    /// command line); pinning again moves the end. Returns the end.
    pub async fn pin(
        &self,
        source: &str,
        id: &str,
        hours: i64,
        by: Option<i64>,
    ) -> anyhow::Result<Result<DateTime<Utc>, PinRefusal>> {
        if !(1..=MAX_PIN_HOURS).contains(&hours) {
            return Ok(Err(PinRefusal::BadHours));
        }
        match self.store.article_status(source, id).await?.as_deref() {
            None => return Ok(Err(PinRefusal::NoSuchArticle)),
            Some("published") => {}
            Some(_) => return Ok(Err(PinRefusal::NotPublished)),
        }
        let now = Utc::now();
        let until = now + Duration::hours(hours);
        self.store
            .pin_article(source, id, by, to_millis(now), to_millis(until))
            .await?;
        Ok(Ok(until))
    }

    /// Takes a pin off; false when there was none.
    pub async fn unpin(&self, source: &str, id: &str) -> anyhow::Result<bool> {
        self.store.unpin_article(source, id).await
    }

    /// Until when `source/id` is pinned, if it is.
    pub async fn pinned_until(
        &self,
        source: &str,
        id: &str,
    ) -> anyhow::Result<Option<DateTime<Utc>>> {
        let until = self
            .store
            .pin_until(source, id, to_millis(Utc::now()))
            .await?;
        Ok(until.and_then(DateTime::from_timestamp_millis))
    }
}
