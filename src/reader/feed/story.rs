//! Stories in the feed: the stories stored with every article (`crate::stories`, grouped on
//! the write path) say which items are copies of one story (never two on a page) and how
//! many sources carry it (the popularity signal).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::snapshot::Item;

/// Groups the items of `recent` (newest first) by their stored story. Returns per slot its
/// story group (the slot of the story's newest item) and the number of distinct sources
/// among the story's published items. An item not grouped yet (stored before stories
/// existed), or a slot no list holds, is a story of its own.
pub fn group(items: &[Arc<Item>], recent: &[u32]) -> (Vec<u32>, Vec<u16>) {
    let mut story: Vec<u32> = (0..items.len() as u32).collect();
    let mut first: FxHashMap<i64, u32> = FxHashMap::default();
    for &i in recent {
        if let Some(s) = items[i as usize].story {
            story[i as usize] = *first.entry(s).or_insert(i);
        }
    }
    // Distinct (group, source) pairs, counted per group: no list per story.
    let mut pairs: Vec<(u32, u32)> = recent
        .iter()
        .map(|&i| (story[i as usize], items[i as usize].source))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut sources = vec![0u16; items.len()];
    for (s, _) in pairs {
        if let Some(n) = sources.get_mut(s as usize) {
            *n = n.saturating_add(1);
        }
    }
    let carried = story
        .iter()
        .map(|&s| sources.get(s as usize).copied().unwrap_or(1).max(1))
        .collect();
    (story, carried)
}
