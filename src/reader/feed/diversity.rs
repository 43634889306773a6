//! Picks a page from ranked candidates so that it stays varied: no run of more than
//! [`RUN_CAP`] items from one source (never) or with the same best tag (unless nothing else
//! is left), one article per story, and for a member we know nothing about yet a spread
//! over sections and sources.

use rustc_hash::{FxHashMap, FxHashSet};

use super::score::Scored;
use super::snapshot::Snapshot;

/// Longest run of consecutive items from one source, or sharing one tag.
pub const RUN_CAP: usize = 3;
/// Per page of ten, for a member with no signals: at most this many from one section or
/// one source.
const COLD_PER_TEN: usize = 3;
/// How far down the ranking a slot looks for its best varied candidate.
const LOOK_AHEAD: usize = 60;
/// What each earlier item from the same source costs a candidate on this page.
const SAME_SOURCE_COST: f32 = 0.06;

/// The page: up to `limit` of `ranked` (best first), none already `shown` (by item or by
/// story), continuing the runs of `tail` (the previous page's items, in order). With it,
/// whether any choice looked at the end of `ranked` (then a page picked from the first
/// part of a ranking may differ from the page picked from all of it).
pub fn select(
    snap: &Snapshot,
    ranked: &[Scored],
    limit: usize,
    shown: &FxHashSet<u32>,
    tail: &[u32],
    cold: bool,
) -> (Vec<Scored>, bool) {
    let mut stories: FxHashSet<u32> = shown
        .iter()
        .filter_map(|&i| snap.story.get(i as usize).copied())
        .collect();
    let mut seq: Vec<u32> = tail.to_vec();
    let mut page: Vec<Scored> = Vec::with_capacity(limit);
    let mut taken = vec![false; ranked.len()];
    let mut per_source: FxHashMap<u32, usize> = FxHashMap::default();
    let mut per_section: FxHashMap<Option<crate::model::Section>, usize> = FxHashMap::default();
    let mut exhausted = false;
    while page.len() < limit {
        let cap = COLD_PER_TEN * (page.len() / 10 + 1);
        let mut best: Option<(usize, f32)> = None;
        let mut looked = 0;
        let mut to_the_end = true;
        for (k, c) in ranked.iter().enumerate() {
            if taken[k] {
                continue;
            }
            let story = snap.story.get(c.item as usize).copied().unwrap_or(c.item);
            if shown.contains(&c.item) || stories.contains(&story) {
                taken[k] = true;
                continue;
            }
            if breaks_run(snap, &seq, c.item, true) {
                continue;
            }
            let it = snap.item(c.item);
            let same_source = per_source.get(&it.source).copied().unwrap_or(0);
            if cold
                && (same_source >= cap || per_section.get(&it.section).copied().unwrap_or(0) >= cap)
            {
                continue;
            }
            let adjusted = c.score - SAME_SOURCE_COST * same_source as f32;
            if best.is_none_or(|(_, b)| adjusted > b) {
                best = Some((k, adjusted));
            }
            looked += 1;
            if looked >= LOOK_AHEAD {
                to_the_end = false;
                break;
            }
        }
        exhausted |= to_the_end;
        let Some((k, _)) = best else {
            // Not enough variety left: fill with the source rule only.
            let page = fill(
                snap,
                ranked,
                limit,
                shown,
                &mut stories,
                seq,
                page,
                &mut taken,
            );
            return (page, true);
        };
        taken[k] = true;
        let c = ranked[k];
        let it = snap.item(c.item);
        *per_source.entry(it.source).or_default() += 1;
        *per_section.entry(it.section).or_default() += 1;
        stories.insert(snap.story.get(c.item as usize).copied().unwrap_or(c.item));
        seq.push(c.item);
        page.push(c);
    }
    (page, exhausted)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the state of one selection, passed on once"
)]
fn fill(
    snap: &Snapshot,
    ranked: &[Scored],
    limit: usize,
    shown: &FxHashSet<u32>,
    stories: &mut FxHashSet<u32>,
    mut seq: Vec<u32>,
    mut page: Vec<Scored>,
    taken: &mut [bool],
) -> Vec<Scored> {
    for (k, c) in ranked.iter().enumerate() {
        if page.len() >= limit {
            break;
        }
        let story = snap.story.get(c.item as usize).copied().unwrap_or(c.item);
        if taken[k] || shown.contains(&c.item) || stories.contains(&story) {
            continue;
        }
        if breaks_run(snap, &seq, c.item, false) {
            continue;
        }
        taken[k] = true;
        stories.insert(story);
        seq.push(c.item);
        page.push(*c);
    }
    page
}

/// Whether `candidate` after `seq` makes a run longer than [`RUN_CAP`] from one source, or
/// (with `tags`) of items whose best tag is the same.
pub fn breaks_run(snap: &Snapshot, seq: &[u32], candidate: u32, tags: bool) -> bool {
    if seq.len() < RUN_CAP {
        return false;
    }
    let it = snap.item(candidate);
    let last = || seq.iter().rev().take(RUN_CAP).map(|&i| snap.item(i));
    if last().all(|p| p.source == it.source) {
        return true;
    }
    tags && it
        .tags
        .first()
        .is_some_and(|t| last().all(|p| p.tags.first() == Some(t)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::reader::feed::score::Why;
    use crate::reader::feed::snapshot::{Item, Vocab};

    #[test]
    fn a_page_picked_from_the_first_part_of_a_ranking_is_the_page_of_all_of_it_unless_told() {
        let mut rng = StdRng::seed_from_u64(11);
        let items: Vec<Arc<Item>> = (0..1500i64)
            .map(|pk| {
                let tags: Box<[u32]> = vec![rng.random_range(0..6u32)].into();
                let story = (pk % 7 == 0).then(|| rng.random_range(0..40i64));
                Arc::new(Item::new(
                    pk,
                    rng.random_range(0..4u32),
                    &format!("a{pk}"),
                    "t",
                    None,
                    None,
                    None,
                    pk,
                    tags,
                    Box::default(),
                    story,
                ))
            })
            .collect();
        let snap = Snapshot::whole(items, Arc::new(Vocab::default()), &[]);
        let mut ranked: Vec<Scored> = snap
            .recent
            .iter()
            .map(|&i| Scored {
                item: i,
                score: rng.random_range(0.0..3.0f32),
                why: Why::Popular,
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.item.cmp(&b.item)));
        let (mut same, mut told) = (0, 0);
        for (kept, cold) in [(400, false), (400, true), (120, false)] {
            let mut shown: Vec<u32> = Vec::new();
            for _page in 0..10 {
                let set: FxHashSet<u32> = shown.iter().copied().collect();
                let tail = &shown[shown.len().saturating_sub(RUN_CAP)..];
                let (all, _) = select(&snap, &ranked, 20, &set, tail, cold);
                let (part, exhausted) = select(&snap, &ranked[..kept], 20, &set, tail, cold);
                let ids = |p: &[Scored]| p.iter().map(|c| c.item).collect::<Vec<_>>();
                if exhausted {
                    told += 1;
                } else {
                    assert_eq!(ids(&part), ids(&all), "kept {kept}, {} shown", shown.len());
                    same += 1;
                }
                shown.extend(ids(&all));
            }
        }
        // Both cases happen: early pages come from the kept part, late ones do not.
        assert!(same >= 5 && told >= 5, "same {same}, told {told}");
    }
}
