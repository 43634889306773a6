//! The For-you feed: candidates from a bounded window (the newest articles, and the newest
//! of what the member follows or reads about), scored by a sum of named parts
//! ([`score`]), picked for variety ([`diversity`]), paged by cursor ([`cursor`]).

pub mod build;
pub mod cursor;
pub mod diversity;
pub mod features;
pub mod index;
pub mod members;
pub mod profile;
pub mod reasons;
pub mod score;
pub mod snapshot;
pub mod story;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashSet;

use super::{Reader, ReaderError};
use crate::model::Section;
use score::{Scored, Why};
use snapshot::Snapshot;

/// Newest articles every member's candidates start from.
const WINDOW: usize = 800;
/// Newest articles taken per followed tag or source, per followed section, per tag and
/// section the member reads about.
const PER_FOLLOWED: usize = 40;
const PER_FOLLOWED_SECTION: usize = 80;
const PER_READ_TAG: usize = 30;
const PER_READ_SECTION: usize = 150;

/// Why an item is in the feed, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    FollowSection,
    FollowTag,
    FollowSource,
    Profile,
    Popular,
    Fresh,
    Pinned,
}

impl ReasonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::FollowSection => "follow_section",
            ReasonKind::FollowTag => "follow_tag",
            ReasonKind::FollowSource => "follow_source",
            ReasonKind::Profile => "profile",
            ReasonKind::Popular => "popular",
            ReasonKind::Fresh => "fresh",
            ReasonKind::Pinned => "pinned",
        }
    }

    fn of(why: Why) -> ReasonKind {
        match why {
            Why::FollowSection(_) => ReasonKind::FollowSection,
            Why::FollowTag(_) => ReasonKind::FollowTag,
            Why::FollowSource(_) => ReasonKind::FollowSource,
            Why::Profile(..) => ReasonKind::Profile,
            Why::Popular => ReasonKind::Popular,
            Why::Fresh(_) => ReasonKind::Fresh,
            Why::Pinned => ReasonKind::Pinned,
        }
    }
}

/// One item of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    pub id: String,
    pub source: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub section: Option<Section>,
    /// (slug, name), best first.
    pub tags: Vec<(String, String)>,
    pub published: Option<DateTime<Utc>>,
    /// The article page.
    pub href: String,
    pub reason: String,
    pub reason_kind: ReasonKind,
    pub score: f32,
}

/// One page of the feed and the cursor of the next.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    pub next: Option<String>,
}

impl Reader {
    /// A page of the member's feed: `limit` items (1..=50) after `cursor`, with the
    /// reasons in `t`'s locale.
    pub async fn feed(
        &self,
        user_pk: i64,
        limit: usize,
        cursor: Option<&str>,
        t: crate::locale::Tr,
    ) -> Result<FeedPage, ReaderError> {
        let shown_pks = match cursor.filter(|c| !c.is_empty()) {
            Some(c) => cursor::decode(c)?,
            None => Vec::new(),
        };
        let snap = self.features.snapshot().await?;
        let now = crate::store::to_millis(Utc::now());
        let member = self.profiles.get(&self.store, &snap, user_pk, now).await?;
        let profile = &member.profile;
        let limit = limit.clamp(1, 50);
        let shown_items: Vec<u32> = shown_pks
            .iter()
            .filter_map(|pk| snap.by_pk.get(pk).copied())
            .collect();
        let shown: FxHashSet<u32> = shown_items.iter().copied().collect();
        let tail = &shown_items[shown_items.len().saturating_sub(diversity::RUN_CAP)..];
        let pick = |ranked: &[Scored]| {
            diversity::select(&snap, ranked, limit, &shown, tail, profile.is_cold())
        };
        let page = match member.ranked.as_deref() {
            // The kept part of the ranking gives the page the whole ranking would, unless
            // picking it looked at its end.
            Some(kept) => match pick(&kept.best) {
                (page, false) => page,
                (page, true) if kept.complete => page,
                _ => pick(&rank(&snap, profile)).0,
            },
            None => {
                let ranked = rank(&snap, profile);
                let (page, _) = pick(&ranked);
                self.profiles
                    .keep(user_pk, &member, snap.generation, ranked);
                page
            }
        };
        let next = (page.len() == limit).then(|| {
            let mut all = shown_pks.clone();
            all.extend(page.iter().map(|c| snap.item(c.item).pk));
            cursor::encode(&all)
        });
        // Items of a page share few reasons: each sentence is formatted once.
        let mut reasons: Vec<(Why, String)> = Vec::new();
        Ok(FeedPage {
            items: page
                .iter()
                .map(|c| item(&snap, c, t, &mut reasons))
                .collect(),
            next,
        })
    }

    /// The current article features (built on first use): what a caller ranking many
    /// members at once ranks them all against.
    pub async fn snapshot(&self) -> anyhow::Result<std::sync::Arc<Snapshot>> {
        self.features.snapshot().await
    }
}

/// The first page of the feed of a member whose stored data is `data`, over `snap` at
/// `now` (ms): what [`Reader::feed`] shows first, without its per-node cache (what a
/// personalized digest lists).
pub fn first_page(
    snap: &Snapshot,
    data: &profile::MemberData,
    now: i64,
    limit: usize,
) -> Vec<Scored> {
    let profile = profile::derive(snap, data, now);
    let ranked = rank(snap, &profile);
    let none = FxHashSet::default();
    diversity::select(snap, &ranked, limit, &none, &[], profile.is_cold()).0
}

/// Every candidate of `profile`, best first.
pub fn rank(snap: &Snapshot, profile: &profile::Profile) -> Vec<Scored> {
    // One bit per item: a few kilobytes to clear, not one byte per item.
    let mut mark = vec![0u64; snap.items.len().div_ceil(64)];
    let mut cand: Vec<u32> = Vec::with_capacity(WINDOW * 2);
    let mut add = |list: Option<&Vec<u32>>, n: usize, cand: &mut Vec<u32>| {
        for &i in list.into_iter().flatten().take(n) {
            let (word, bit) = (i as usize / 64, 1u64 << (i % 64));
            if let Some(w) = mark.get_mut(word)
                && *w & bit == 0
            {
                *w |= bit;
                cand.push(i);
            }
        }
    };
    add(Some(&snap.recent), WINDOW, &mut cand);
    for t in &profile.follow_tags {
        add(snap.by_tag.get(t).map(|l| &**l), PER_FOLLOWED, &mut cand);
    }
    for s in &profile.follow_sections {
        add(
            snap.by_section.get(s).map(|l| &**l),
            PER_FOLLOWED_SECTION,
            &mut cand,
        );
    }
    for s in &profile.follow_sources {
        add(snap.by_source.get(s).map(|l| &**l), PER_FOLLOWED, &mut cand);
    }
    let mut tags: Vec<(u32, f32)> = profile.tags.iter().map(|(t, s)| (*t, *s)).collect();
    tags.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (t, _) in tags.iter().take(8) {
        add(snap.by_tag.get(t).map(|l| &**l), PER_READ_TAG, &mut cand);
    }
    let mut sections: Vec<(Section, f32)> =
        profile.sections.iter().map(|(s, w)| (*s, *w)).collect();
    sections.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (s, _) in sections.iter().take(2).filter(|(_, w)| *w >= 0.2) {
        add(
            snap.by_section.get(s).map(|l| &**l),
            PER_READ_SECTION,
            &mut cand,
        );
    }
    let pinned = snap.pinned.clone();
    add(Some(&pinned), pinned.len(), &mut cand);
    let mut ranked: Vec<Scored> = cand
        .into_iter()
        .filter(|&i| {
            !profile.seen.contains(&i) && !profile.excluded_sources.contains(&snap.item(i).source)
        })
        .map(|i| score::score(snap, profile, i))
        .collect();
    // Ties go to the newer article: a total order, so an unstable sort gives the one answer.
    ranked.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| snap.newest_first(a.item, b.item))
    });
    ranked
}

fn item(
    snap: &Snapshot,
    c: &Scored,
    t: crate::locale::Tr,
    reasons: &mut Vec<(Why, String)>,
) -> FeedItem {
    let it = snap.item(c.item);
    let source = snap.source_name(it).to_string();
    let reason = match reasons.iter().find(|(w, _)| *w == c.why) {
        Some((_, text)) => text.clone(),
        None => {
            let text = reasons::text(snap, c.why, t);
            reasons.push((c.why, text.clone()));
            text
        }
    };
    FeedItem {
        href: crate::web::pages::article_href(&source, it.id()),
        id: it.id().to_string(),
        source,
        title: it.title().to_string(),
        subtitle: it.subtitle().map(str::to_string),
        section: it.section,
        tags: it
            .tags
            .iter()
            .map(|&t| (snap.tag_slug(t).to_string(), snap.tag_name(t).to_string()))
            .collect(),
        published: it.published.map(crate::store::from_millis),
        reason,
        reason_kind: ReasonKind::of(c.why),
        score: (c.score * 1000.0).round() / 1000.0,
    }
}
