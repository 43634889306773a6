//! A member's profile: what they follow and what their signals say they like (terms, tags,
//! sections, sources) or do not (less, hide), weighted over one snapshot. The node caches
//! derived profiles per member ([`super::members`]).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Section;
use crate::reader::{Axis, FollowKind, SignalKind};
use crate::store::SignalRow;

use super::snapshot::Snapshot;

/// Half-lives of positive and negative signals.
const POSITIVE_HALF_LIFE_DAYS: f64 = 30.0;
const NEGATIVE_HALF_LIFE_DAYS: f64 = 14.0;
/// Weight of the prior that smooths the shares of a profile built from few signals.
const PRIOR_WEIGHT: f32 = 3.0;
/// "Less from this source" keeps the source out while its weight is above this.
const LESS_SOURCE_EXCLUDES_ABOVE: f32 = 0.5;

/// What the store holds about one member's reading.
#[derive(Debug, Default)]
pub struct MemberData {
    pub follows: Vec<(FollowKind, String)>,
    pub signals: Vec<SignalRow>,
    pub hidden: Vec<String>,
}

/// The weighted profile of one member over one snapshot.
#[derive(Debug, Default)]
pub struct Profile {
    pub follow_sections: Vec<Section>,
    pub follow_tags: FxHashSet<u32>,
    pub follow_sources: FxHashSet<u32>,
    /// Unit-length term vector of what they read.
    pub terms: FxHashMap<u32, f32>,
    /// Shares (0..1) of their positive signal weight per tag, section and source.
    pub tags: FxHashMap<u32, f32>,
    pub sections: FxHashMap<Section, f32>,
    pub sources: FxHashMap<u32, f32>,
    /// Decayed weights of "less like this" per axis value.
    pub less_tags: FxHashMap<u32, f32>,
    pub less_sections: FxHashMap<Section, f32>,
    pub less_sources: FxHashMap<u32, f32>,
    /// Sources kept out (hidden, or a recent "less from this source").
    pub excluded_sources: FxHashSet<u32>,
    /// Items already opened, read, saved or dismissed.
    pub seen: FxHashSet<u32>,
    /// Total positive weight (0 = the member has told us nothing yet).
    pub weight: f32,
}

impl Profile {
    /// Whether the member has neither follows nor positive signals.
    pub fn is_cold(&self) -> bool {
        self.weight <= 0.0
            && self.follow_sections.is_empty()
            && self.follow_tags.is_empty()
            && self.follow_sources.is_empty()
    }
}

fn decay(age_ms: i64, half_life_days: f64) -> f32 {
    let days = age_ms.max(0) as f64 / 86_400_000.0;
    0.5f64.powf(days / half_life_days) as f32
}

fn weight_of(kind: SignalKind) -> f32 {
    match kind {
        SignalKind::Open => 1.0,
        SignalKind::Read => 2.0,
        SignalKind::Save | SignalKind::More => 3.0,
        SignalKind::Less | SignalKind::Hide => 0.0,
    }
}

/// Derives the profile of `data` over `snap` at `now` (ms).
pub fn derive(snap: &Snapshot, data: &MemberData, now: i64) -> Profile {
    let mut p = Profile::default();
    let vocab = &snap.vocab;
    for (kind, value) in &data.follows {
        match kind {
            FollowKind::Section => p.follow_sections.extend(Section::parse(value)),
            FollowKind::Tag => p.follow_tags.extend(vocab.tag_id(value)),
            FollowKind::Source => p.follow_sources.extend(vocab.source_id(value)),
        }
    }
    for s in &data.hidden {
        p.excluded_sources.extend(vocab.source_id(s));
    }
    for s in &data.signals {
        let Some(kind) = SignalKind::parse(&s.kind) else {
            continue;
        };
        let item = snap.find(&s.source, &s.id);
        if let Some(i) = item {
            p.seen.insert(i);
        }
        let axis = s.axis.as_deref().and_then(Axis::parse);
        let value = s.value.as_deref().unwrap_or("");
        if kind == SignalKind::Less {
            let w = decay(now - s.at, NEGATIVE_HALF_LIFE_DAYS);
            match axis {
                Some(Axis::Tag) => {
                    if let Some(t) = vocab.tag_id(value) {
                        *p.less_tags.entry(t).or_default() += w;
                    }
                }
                Some(Axis::Section) => {
                    if let Some(sec) = Section::parse(value) {
                        *p.less_sections.entry(sec).or_default() += w;
                    }
                }
                Some(Axis::Source) => {
                    if let Some(src) = vocab.source_id(value) {
                        *p.less_sources.entry(src).or_default() += w;
                    }
                }
                None => {}
            }
            continue;
        }
        let w = weight_of(kind) * decay(now - s.at, POSITIVE_HALF_LIFE_DAYS);
        if w <= 0.0 {
            continue;
        }
        if kind == SignalKind::More {
            match axis {
                Some(Axis::Tag) => {
                    if let Some(t) = vocab.tag_id(value) {
                        *p.tags.entry(t).or_default() += w;
                    }
                }
                Some(Axis::Section) => {
                    if let Some(sec) = Section::parse(value) {
                        *p.sections.entry(sec).or_default() += w;
                    }
                }
                Some(Axis::Source) => {
                    if let Some(src) = vocab.source_id(value) {
                        *p.sources.entry(src).or_default() += w;
                    }
                }
                None => {}
            }
        }
        let Some(i) = item else { continue };
        let it = snap.item(i);
        p.weight += w;
        for &(t, x) in &it.terms {
            *p.terms.entry(t).or_default() += w * x;
        }
        for &t in it.tags.iter().take(6) {
            *p.tags.entry(t).or_default() += w;
        }
        if let Some(sec) = it.section {
            *p.sections.entry(sec).or_default() += w;
        }
        *p.sources.entry(it.source).or_default() += w;
    }
    for (&src, &w) in &p.less_sources {
        if w > LESS_SOURCE_EXCLUDES_ABOVE {
            p.excluded_sources.insert(src);
        }
    }
    if p.weight > 0.0 {
        // A few clicks say less than many: shares are smoothed towards zero by a prior of
        // PRIOR_WEIGHT, so one opened article does not outweigh a follow.
        let total = p.weight + PRIOR_WEIGHT;
        let confidence = p.weight / total;
        p.tags.values_mut().for_each(|v| *v = (*v / total).min(1.0));
        p.sections
            .values_mut()
            .for_each(|v| *v = (*v / total).min(1.0));
        p.sources
            .values_mut()
            .for_each(|v| *v = (*v / total).min(1.0));
        // Keep the strongest terms only: a long tail adds noise and costs lookups.
        let mut terms: Vec<(u32, f32)> = p.terms.drain().collect();
        terms.sort_by(|a, b| b.1.total_cmp(&a.1));
        terms.truncate(300);
        let norm = terms
            .iter()
            .map(|t| t.1 * t.1)
            .sum::<f32>()
            .sqrt()
            .max(1e-6);
        p.terms = terms
            .into_iter()
            .map(|(t, x)| (t, confidence * x / norm))
            .collect();
    } else {
        // Only "more" on an axis, without articles we know: shares of 1.
        p.tags.values_mut().for_each(|v| *v = v.min(1.0));
        p.sections.values_mut().for_each(|v| *v = v.min(1.0));
        p.sources.values_mut().for_each(|v| *v = v.min(1.0));
    }
    p
}
