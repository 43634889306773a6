//! The personalized digest: each recipient's edition is their own For-you ranking (with its
//! reasons), stored compactly in their ledger row and rendered when it is sent.
//!
//! Composing scales with the list, not with members times the corpus: recipients are read
//! in pages by key; a page's follows, signals and hidden sources come with one query per
//! table; every member of the edition is ranked against the one snapshot of the article
//! features taken when it starts (the feed's own ranking, [`feed::first_page`]); and members
//! whose inputs are the same (the same follows, no signals, nothing hidden) share one
//! ranking, which is a function of those inputs alone. Rankings of a page run on every core.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::{Item, Newsletter, Newsletters};
use crate::locale::{Locale, Tr};
use crate::reader::FollowKind;
use crate::reader::feed::members;
use crate::reader::feed::profile::MemberData;
use crate::reader::feed::snapshot::Snapshot;
use crate::reader::feed::{self, reasons};
use crate::store::{EditionRow, NewDelivery, Recipient};

/// Stories in one digest.
pub const DIGEST_ITEMS: usize = 8;
/// Recipients read, ranked and queued together (one transaction of ledger rows).
const PAGE: i64 = 500;
/// Distinct follow sets whose digest one edition remembers (beyond, it ranks again).
const SHARED_MAX: usize = 200_000;

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

/// The inputs two members share when their digests are the same: their follows, sorted.
type FollowSet = Vec<(FollowKind, String)>;

/// A ledger payload (the picks as JSON), or None when the digest would be too thin.
type Payload = Option<Arc<str>>;

/// One edition's composition state: the snapshot every member is ranked against, the
/// time the ranking counts from, and the digests already made for shared inputs.
struct Composer {
    snap: Option<Arc<Snapshot>>,
    now: i64,
    min_items: usize,
    shared: HashMap<FollowSet, Payload>,
    newest: Option<Payload>,
}

/// Where one recipient's digest comes from.
enum Source {
    /// A member with signals or hidden sources: their own ranking (index into the jobs).
    Own(usize),
    /// A member with follows only: the digest of that follow set.
    Shared(FollowSet),
    /// A visitor (or no ranking available): the newest stories.
    Newest,
}

impl Composer {
    fn payload(&self, picks: &[Pick]) -> anyhow::Result<Payload> {
        if picks.len() < self.min_items.max(1) {
            return Ok(None);
        }
        let json = serde_json::to_string(picks).context("encoding a digest")?;
        Ok(Some(Arc::from(json)))
    }

    /// The ledger rows of one page of recipients (too thin digests left out).
    async fn page(
        &mut self,
        nl: &Newsletters,
        page: Vec<Recipient>,
    ) -> anyhow::Result<Vec<NewDelivery>> {
        if self.shared.len() > SHARED_MAX {
            self.shared.clear();
        }
        let user_pks: Vec<i64> = page.iter().filter_map(|r| r.user_pk).collect();
        let mut data = match &self.snap {
            Some(_) if !user_pks.is_empty() => members::load_many(&nl.store, &user_pks).await?,
            _ => Default::default(),
        };
        let mut jobs: Vec<MemberData> = Vec::new();
        let mut job_of_set: HashMap<FollowSet, usize> = HashMap::new();
        let mut sources = Vec::with_capacity(page.len());
        for r in &page {
            let Some(d) = r.user_pk.and_then(|pk| data.remove(&pk)) else {
                sources.push(Source::Newest);
                continue;
            };
            if !d.signals.is_empty() || !d.hidden.is_empty() {
                jobs.push(d);
                sources.push(Source::Own(jobs.len() - 1));
                continue;
            }
            let mut set = d.follows.clone();
            set.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
            if !self.shared.contains_key(&set) && !job_of_set.contains_key(&set) {
                job_of_set.insert(set.clone(), jobs.len());
                jobs.push(d);
            }
            sources.push(Source::Shared(set));
        }
        let ranked = match &self.snap {
            Some(snap) if !jobs.is_empty() => rank_all(snap.clone(), self.now, jobs).await?,
            _ => Vec::new(),
        };
        let mut own: Vec<Payload> = Vec::with_capacity(ranked.len());
        for picks in &ranked {
            own.push(self.payload(picks)?);
        }
        for (set, k) in job_of_set {
            self.shared.insert(set, own[k].clone());
        }
        let mut rows = Vec::with_capacity(page.len());
        for (r, source) in page.into_iter().zip(sources) {
            let payload = match source {
                Source::Own(k) => own[k].clone(),
                Source::Shared(set) => self.shared.get(&set).cloned().flatten(),
                Source::Newest => self.newest(nl).await?,
            };
            let Some(payload) = payload else { continue };
            rows.push(NewDelivery {
                subscriber_pk: r.subscriber_pk,
                subscription_pk: r.subscription_pk,
                email: r.email,
                payload: Some(payload.to_string()),
            });
        }
        // Rows of the same digest side by side: a sender claims them together and renders
        // that digest once.
        rows.sort_by(|a, b| a.payload.cmp(&b.payload));
        Ok(rows)
    }

    /// The visitors' digest: the newest stories, read once per edition.
    async fn newest(&mut self, nl: &Newsletters) -> anyhow::Result<Payload> {
        if let Some(p) = &self.newest {
            return Ok(p.clone());
        }
        let latest = nl.store.latest(DIGEST_ITEMS as i64, 0).await?;
        let picks: Vec<Pick> = latest
            .iter()
            .map(|a| Pick {
                source: a.source.clone(),
                id: a.id.clone(),
                reason: None,
            })
            .collect();
        let p = self.payload(&picks)?;
        self.newest = Some(p.clone());
        Ok(p)
    }
}

/// The first feed page of each member in `jobs` over `snap`, as picks with their reasons;
/// spread over the machine's cores, off the async threads.
async fn rank_all(
    snap: Arc<Snapshot>,
    now: i64,
    jobs: Vec<MemberData>,
) -> anyhow::Result<Vec<Vec<Pick>>> {
    tokio::task::spawn_blocking(move || {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = jobs.len().div_ceil(cores).max(8);
        let snap = &snap;
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|d| picks_of(snap, d, now))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(jobs.len());
            for h in handles {
                out.extend(
                    h.join()
                        .map_err(|_| anyhow::anyhow!("a digest ranking thread panicked"))?,
                );
            }
            Ok(out)
        })
    })
    .await
    .context("the digest ranking task failed")?
}

/// One member's digest: the first page of their For-you feed with its reasons.
fn picks_of(snap: &Snapshot, data: &MemberData, now: i64) -> Vec<Pick> {
    let t = Tr::new(Locale::Ar);
    feed::first_page(snap, data, now, DIGEST_ITEMS)
        .iter()
        .map(|c| {
            let it = snap.item(c.item);
            Pick {
                source: snap.source_name(it).to_string(),
                id: it.id().to_string(),
                reason: Some(reasons::text(snap, c.why, t)).filter(|r| !r.is_empty()),
            }
        })
        .collect()
}

impl Newsletters {
    /// Queues one personalized row per recipient of `n` (those in zone `tz` when given);
    /// a recipient whose digest would be too thin gets none. Returns rows added.
    pub async fn queue_digests(
        &self,
        n: &Newsletter,
        edition: &EditionRow,
        tz: Option<(&str, &str)>,
        not_before_ms: i64,
    ) -> anyhow::Result<u64> {
        let snap = match &self.reader {
            Some(reader) => Some(reader.snapshot().await?),
            None => None,
        };
        let mut composer = Composer {
            snap,
            now: self.now_ms(),
            min_items: n.min_items,
            shared: HashMap::new(),
            newest: None,
        };
        let (mut added, mut after) = (0, 0);
        loop {
            let page = self
                .store
                .newsletter_recipients_page(n.pk, after, PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = last.subscriber_pk;
            let full = page.len() as i64 == PAGE;
            let page: Vec<Recipient> = page
                .into_iter()
                .filter(|r| {
                    tz.is_none_or(|(zone, default)| {
                        r.time_zone.as_deref().unwrap_or(default) == zone
                    })
                })
                .collect();
            let rows = composer.page(self, page).await?;
            added += self
                .store
                .deliveries_insert(edition.pk, &rows, not_before_ms, self.now_ms())
                .await?;
            if !full {
                break;
            }
        }
        Ok(added)
    }

    /// The items of many digest payloads, with one read of all their articles (an article
    /// removed since is left out). Returns the items of each payload, in order.
    pub async fn digest_items_of(&self, payloads: &[&str]) -> anyhow::Result<Vec<Vec<Item>>> {
        let mut picks = Vec::with_capacity(payloads.len());
        for p in payloads {
            let v: Vec<Pick> = serde_json::from_str(p).context("reading a digest row")?;
            picks.push(v);
        }
        let mut keys: Vec<(&str, &str)> = picks
            .iter()
            .flatten()
            .map(|p| (p.source.as_str(), p.id.as_str()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let found: HashMap<(String, String), crate::model::Article> = self
            .store
            .articles_by_keys(&keys)
            .await?
            .into_iter()
            .map(|(a, _)| ((a.source.clone(), a.id.clone()), a))
            .collect();
        Ok(picks
            .into_iter()
            .map(|v| {
                v.into_iter()
                    .filter_map(|p| {
                        let a = found.get(&(p.source, p.id))?;
                        Some(super::compose::item_of(a, p.reason))
                    })
                    .collect()
            })
            .collect())
    }
}
