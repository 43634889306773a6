//! Stories in the feed: the stories stored with every article (`crate::stories`, grouped on
//! the write path) say which items are copies of one story (never two on a page) and how
//! many sources carry it (the popularity signal).

use std::collections::HashMap;

use super::snapshot::Item;

/// Groups items by their stored story. Returns each item's story group (the index of one
/// of its members) and the number of distinct sources among the story's published items.
/// An item not grouped yet (stored before stories existed) is a story of its own.
pub fn group(items: &[std::sync::Arc<Item>]) -> (Vec<u32>, Vec<u16>) {
    let mut first: HashMap<i64, u32> = HashMap::new();
    let story: Vec<u32> = items
        .iter()
        .enumerate()
        .map(|(i, it)| match it.story {
            Some(s) => *first.entry(s).or_insert(i as u32),
            None => i as u32,
        })
        .collect();
    let mut sources: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &s) in story.iter().enumerate() {
        let v = sources.entry(s).or_default();
        let src = items[i].source;
        if !v.contains(&src) {
            v.push(src);
        }
    }
    let carried = story
        .iter()
        .map(|s| {
            sources
                .get(s)
                .map_or(1, |v| v.len().min(u16::MAX as usize) as u16)
        })
        .collect();
    (story, carried)
}
