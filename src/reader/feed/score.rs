//! The score of one article for one member: a sum of named parts. The largest positive
//! part is the reason shown on the item.

use super::profile::Profile;
use super::snapshot::{Item, Snapshot};
use crate::model::Section;

/// Weights of the parts (each part's own value is between 0 and about 1).
pub const FOLLOW_TAG: f32 = 1.3;
pub const FOLLOW_SECTION: f32 = 0.7;
pub const FOLLOW_SOURCE: f32 = 0.6;
pub const PROFILE_TERMS: f32 = 1.6;
pub const PROFILE_TAGS: f32 = 0.8;
pub const PROFILE_SECTION: f32 = 0.6;
pub const PROFILE_SOURCE: f32 = 0.2;
pub const FRESH: f32 = 0.6;
pub const POPULAR: f32 = 0.7;
pub const PINNED: f32 = 2.0;
pub const LESS_TAG: f32 = 1.2;
pub const LESS_SECTION: f32 = 0.8;
pub const LESS_SOURCE: f32 = 1.5;
/// Freshness halves every this many hours before the newest article.
pub const FRESH_HALF_LIFE_HOURS: f32 = 36.0;

/// Why an item is in the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    FollowSection(Section),
    FollowTag(u32),
    FollowSource(u32),
    /// Read about this tag (or, without a tag, this section).
    Profile(Option<u32>, Option<Section>),
    Popular,
    Fresh(Option<Section>),
    Pinned,
}

/// The parts of a score.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Parts {
    pub follow_section: f32,
    pub follow_tag: f32,
    pub follow_source: f32,
    pub profile: f32,
    pub popular: f32,
    pub fresh: f32,
    pub pinned: f32,
    /// Sum of the "less like this" penalties (zero or negative).
    pub penalty: f32,
}

impl Parts {
    pub fn total(&self) -> f32 {
        self.follow_section
            + self.follow_tag
            + self.follow_source
            + self.profile
            + self.popular
            + self.fresh
            + self.pinned
            + self.penalty
    }
}

/// A scored candidate.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub item: u32,
    pub score: f32,
    pub why: Why,
}

fn cosine(profile: &Profile, it: &Item) -> f32 {
    if profile.terms.is_empty() {
        return 0.0;
    }
    it.terms
        .iter()
        .filter_map(|(t, x)| profile.terms.get(t).map(|p| p * x))
        .sum()
}

/// Scores item `i` of `snap` for `profile`.
pub fn score(snap: &Snapshot, profile: &Profile, i: u32) -> Scored {
    let it = snap.item(i);
    let mut p = Parts::default();
    let followed_tag = it
        .tags
        .iter()
        .copied()
        .find(|t| profile.follow_tags.contains(t));
    if followed_tag.is_some() {
        p.follow_tag = FOLLOW_TAG;
    }
    if it
        .section
        .is_some_and(|s| profile.follow_sections.contains(&s))
    {
        p.follow_section = FOLLOW_SECTION;
    }
    if profile.follow_sources.contains(&it.source) {
        p.follow_source = FOLLOW_SOURCE;
    }
    let mut best_tag = None;
    if profile.weight > 0.0 || !profile.tags.is_empty() || !profile.sections.is_empty() {
        let (tag, share) = it
            .tags
            .iter()
            .filter_map(|t| profile.tags.get(t).map(|s| (*t, *s)))
            .fold(
                (None, 0.0f32),
                |acc, (t, s)| if s > acc.1 { (Some(t), s) } else { acc },
            );
        best_tag = tag;
        let section = it
            .section
            .and_then(|s| profile.sections.get(&s))
            .copied()
            .unwrap_or(0.0);
        let source = profile.sources.get(&it.source).copied().unwrap_or(0.0);
        p.profile = PROFILE_TERMS * cosine(profile, it)
            + PROFILE_TAGS * share
            + PROFILE_SECTION * section
            + PROFILE_SOURCE * source;
    }
    let age_h = (snap.newest - it.sort_time).max(0) as f32 / 3_600_000.0;
    p.fresh = FRESH * 0.5f32.powf(age_h / FRESH_HALF_LIFE_HOURS);
    let carried = snap.carried_by.get(i as usize).copied().unwrap_or(1) as f32;
    p.popular = POPULAR * ((carried - 1.0) / 2.0).clamp(0.0, 1.0);
    if snap.pinned.contains(&i) {
        p.pinned = PINNED;
    }
    let less_tag = it
        .tags
        .iter()
        .filter_map(|t| profile.less_tags.get(t))
        .fold(0.0f32, |a, &w| a.max(w));
    let less_section = it
        .section
        .and_then(|s| profile.less_sections.get(&s))
        .copied()
        .unwrap_or(0.0);
    let less_source = profile.less_sources.get(&it.source).copied().unwrap_or(0.0);
    p.penalty = -(LESS_TAG * less_tag.min(2.0)
        + LESS_SECTION * less_section.min(2.0)
        + LESS_SOURCE * less_source.min(2.0));
    Scored {
        item: i,
        score: p.total(),
        why: reason(&p, it, followed_tag, best_tag, profile),
    }
}

/// The largest part names the reason.
fn reason(
    p: &Parts,
    it: &Item,
    followed_tag: Option<u32>,
    best_tag: Option<u32>,
    pr: &Profile,
) -> Why {
    let mut best = (Why::Fresh(it.section), p.fresh);
    let mut consider = |why: Why, v: f32| {
        if v > best.1 {
            best = (why, v);
        }
    };
    consider(Why::Popular, p.popular);
    if let Some(t) = followed_tag {
        consider(Why::FollowTag(t), p.follow_tag);
    }
    if let Some(s) = it.section.filter(|s| pr.follow_sections.contains(s)) {
        consider(Why::FollowSection(s), p.follow_section);
    }
    consider(Why::FollowSource(it.source), p.follow_source);
    consider(Why::Profile(best_tag, it.section), p.profile);
    consider(Why::Pinned, p.pinned);
    best.0
}
