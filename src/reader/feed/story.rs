//! Near-duplicates and "how many sources carry this story": a cheap key of our own (the
//! headline's terms, the lead's first terms) until stories (MinHash) are stored; then
//! [`group`] becomes a read of the story sizes.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::snapshot::Item;

/// Two copies further apart than this are not the same story.
const SAME_STORY_MS: i64 = 3 * 24 * 3600 * 1000;

/// The near-duplicate keys of an article: its headline's distinct terms (order-free), and
/// the first terms of its lead (wire copy keeps them). 0 = no key (too short to tell).
pub fn keys(title_terms: &[String], lead_terms: &[String]) -> [u64; 2] {
    let mut t: Vec<&str> = title_terms.iter().map(String::as_str).collect();
    t.sort_unstable();
    t.dedup();
    let k1 = if t.len() >= 3 { hash(&t) } else { 0 };
    let lead: Vec<&str> = lead_terms.iter().take(10).map(String::as_str).collect();
    let k2 = if lead.len() >= 8 { hash(&lead) } else { 0 };
    [k1, k2]
}

fn hash(parts: &[&str]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish().max(1)
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let p = parent[parent[i as usize] as usize];
        parent[i as usize] = p;
        i = p;
    }
    i
}

/// Groups items into stories: same key and close in time. Returns each item's story id
/// (the index of one of its members) and the number of distinct sources in its story.
pub fn group(items: &[std::sync::Arc<Item>]) -> (Vec<u32>, Vec<u16>) {
    let n = items.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for k in 0..2 {
        let mut by_key: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            if it.keys[k] != 0 {
                by_key.entry(it.keys[k]).or_default().push(i as u32);
            }
        }
        for (_, mut members) in by_key {
            if members.len() < 2 {
                continue;
            }
            members.sort_by_key(|&i| items[i as usize].sort_time);
            for w in members.windows(2) {
                let (a, b) = (w[0], w[1]);
                if items[b as usize].sort_time - items[a as usize].sort_time <= SAME_STORY_MS {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb {
                        parent[rb as usize] = ra;
                    }
                }
            }
        }
    }
    let story: Vec<u32> = (0..n as u32).map(|i| find(&mut parent, i)).collect();
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
