//! The personalized digest: each recipient's edition is their own For-you ranking (with its
//! reasons), stored compactly in their ledger row and rendered when it is sent.

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::{Item, Newsletter, Newsletters, compose};
use crate::locale::{Locale, Tr};
use crate::store::{EditionRow, NewDelivery, Recipient};

/// Stories in one digest.
pub const DIGEST_ITEMS: usize = 8;

/// One story of a digest as kept in a ledger row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    #[serde(rename = "s")]
    pub source: String,
    #[serde(rename = "i")]
    pub id: String,
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Newsletters {
    /// The picks of one recipient: their For-you ranking (best first, each with the reason
    /// the feed gives) when they are a member, the newest stories otherwise.
    pub async fn digest_picks(&self, r: &Recipient) -> anyhow::Result<Vec<Pick>> {
        if let (Some(user_pk), Some(reader)) = (r.user_pk, &self.reader) {
            let page = reader
                .feed(user_pk, DIGEST_ITEMS, None, Tr::new(Locale::Ar))
                .await?;
            return Ok(page
                .items
                .into_iter()
                .map(|i| Pick {
                    source: i.source,
                    id: i.id,
                    reason: Some(i.reason).filter(|r| !r.is_empty()),
                })
                .collect());
        }
        let latest = self.store.latest(DIGEST_ITEMS as i64, 0).await?;
        Ok(latest
            .iter()
            .map(|a| Pick {
                source: a.source.clone(),
                id: a.id.clone(),
                reason: None,
            })
            .collect())
    }

    /// Queues one personalized row per recipient of `n` (those in zone `tz` when given);
    /// a recipient whose digest would be too thin gets none. Returns rows added.
    pub async fn queue_digests(
        &self,
        n: &Newsletter,
        edition: &EditionRow,
        tz: Option<(&str, &str)>,
        not_before_ms: i64,
    ) -> anyhow::Result<u64> {
        let recipients = self.store.newsletter_recipients(n.pk).await?;
        let mut added = 0;
        let mut rows = Vec::with_capacity(500);
        for r in recipients {
            if let Some((zone, default)) = tz
                && r.time_zone.as_deref().unwrap_or(default) != zone
            {
                continue;
            }
            let picks = self.digest_picks(&r).await?;
            if picks.len() < n.min_items.max(1) {
                continue;
            }
            rows.push(NewDelivery {
                subscriber_pk: r.subscriber_pk,
                subscription_pk: r.subscription_pk,
                email: r.email,
                payload: Some(serde_json::to_string(&picks).context("encoding a digest")?),
            });
            if rows.len() == 500 {
                added += self
                    .store
                    .deliveries_insert(edition.pk, &rows, not_before_ms, self.now_ms())
                    .await?;
                rows.clear();
            }
        }
        added += self
            .store
            .deliveries_insert(edition.pk, &rows, not_before_ms, self.now_ms())
            .await?;
        Ok(added)
    }

    /// The items of a digest row, read back from the store (an article removed since is
    /// left out).
    pub async fn digest_items(&self, payload: &str) -> anyhow::Result<Vec<Item>> {
        let picks: Vec<Pick> = serde_json::from_str(payload).context("reading a digest row")?;
        let mut out = Vec::with_capacity(picks.len());
        for p in picks {
            if let Some(a) = self.store.article(&p.source, &p.id).await? {
                out.push(compose::item_of(&a, p.reason));
            }
        }
        Ok(out)
    }
}
