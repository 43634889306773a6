//! The For-you feed: candidates from a bounded window (the newest articles, and the newest
//! of what the member follows or reads about), scored by a sum of named parts
//! ([`score`]), picked for variety ([`diversity`]), paged by cursor ([`cursor`]).

pub mod build;
pub mod cursor;
pub mod diversity;
pub mod profile;
pub mod reasons;
pub mod score;
pub mod snapshot;
pub mod story;

use std::collections::HashSet;

use chrono::{DateTime, Utc};

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
        let data = self.profiles.get(&self.store, user_pk).await?;
        let now = crate::store::to_millis(Utc::now());
        let limit = limit.clamp(1, 50);
        let page = page_of(&snap, &data, now, limit, &shown_pks);
        let next = (page.len() == limit).then(|| {
            let mut all = shown_pks.clone();
            all.extend(page.iter().map(|c| snap.item(c.item).pk));
            cursor::encode(&all)
        });
        Ok(FeedPage {
            items: page.iter().map(|c| item(&snap, c, t)).collect(),
            next,
        })
    }

    /// The current article features (built on first use): what a caller ranking many
    /// members at once ranks them all against.
    pub async fn snapshot(&self) -> anyhow::Result<std::sync::Arc<Snapshot>> {
        self.features.snapshot().await
    }
}

/// The page of the feed of a member whose stored data is `data`, over `snap` at `now` (ms):
/// `limit` items after those of `shown_pks` (article keys, in the order shown). With none
/// shown, the first page, which is also what a personalized digest lists.
pub fn page_of(
    snap: &Snapshot,
    data: &profile::MemberData,
    now: i64,
    limit: usize,
    shown_pks: &[i64],
) -> Vec<Scored> {
    let profile = profile::derive(snap, data, now);
    let shown_items: Vec<u32> = shown_pks
        .iter()
        .filter_map(|pk| snap.by_pk.get(pk).copied())
        .collect();
    let shown: HashSet<u32> = shown_items.iter().copied().collect();
    let tail_start = shown_items.len().saturating_sub(diversity::RUN_CAP);
    let ranked = rank(snap, &profile);
    diversity::select(
        snap,
        &ranked,
        limit,
        &shown,
        &shown_items[tail_start..],
        profile.is_cold(),
    )
}

/// Every candidate of `profile`, best first.
pub fn rank(snap: &Snapshot, profile: &profile::Profile) -> Vec<Scored> {
    let mut mark = vec![false; snap.items.len()];
    let mut cand: Vec<u32> = Vec::with_capacity(WINDOW * 2);
    let mut add = |list: Option<&Vec<u32>>, n: usize, cand: &mut Vec<u32>| {
        for &i in list.into_iter().flatten().take(n) {
            if !std::mem::replace(&mut mark[i as usize], true) {
                cand.push(i);
            }
        }
    };
    add(Some(&snap.recent), WINDOW, &mut cand);
    for t in &profile.follow_tags {
        add(snap.by_tag.get(t), PER_FOLLOWED, &mut cand);
    }
    for s in &profile.follow_sections {
        add(snap.by_section.get(s), PER_FOLLOWED_SECTION, &mut cand);
    }
    for s in &profile.follow_sources {
        add(snap.by_source.get(s), PER_FOLLOWED, &mut cand);
    }
    let mut tags: Vec<(u32, f32)> = profile.tags.iter().map(|(t, s)| (*t, *s)).collect();
    tags.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (t, _) in tags.iter().take(8) {
        add(snap.by_tag.get(t), PER_READ_TAG, &mut cand);
    }
    let mut sections: Vec<(Section, f32)> =
        profile.sections.iter().map(|(s, w)| (*s, *w)).collect();
    sections.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (s, _) in sections.iter().take(2).filter(|(_, w)| *w >= 0.2) {
        add(snap.by_section.get(s), PER_READ_SECTION, &mut cand);
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
    // Ties go to the newer article (a lower index is newer).
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item)));
    ranked
}

fn item(snap: &Snapshot, c: &Scored, t: crate::locale::Tr) -> FeedItem {
    let it = snap.item(c.item);
    let source = snap.source_name(it).to_string();
    FeedItem {
        href: crate::web::pages::article_href(&source, &it.id),
        id: it.id.clone(),
        source,
        title: it.title.clone(),
        subtitle: it.subtitle.clone(),
        section: it.section,
        tags: it
            .tags
            .iter()
            .map(|&t| (snap.tag_slug(t).to_string(), snap.tag_name(t).to_string()))
            .collect(),
        published: it.published.map(crate::store::from_millis),
        reason: reasons::text(snap, c.why, t),
        reason_kind: ReasonKind::of(c.why),
        score: (c.score * 1000.0).round() / 1000.0,
    }
}
