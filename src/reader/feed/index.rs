//! The indexes of a [`Snapshot`]: made whole by a full build, then kept by applying each
//! change to a copy of the previous snapshot's (a new article is one sorted insert per
//! list it belongs to; the lists it does not belong to are shared, not copied).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::snapshot::{Item, Snapshot, Vocab, key_hash};
use super::story;

/// Generations and epochs of snapshots, unique in the process.
static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// What changed about one article.
pub enum Change {
    /// Published, new or changed.
    Upsert(Item),
    /// Withdrawn.
    Remove(i64),
}

/// Newer first: the order of every list.
fn key(it: &Item) -> (i64, i64) {
    (it.sort_time, it.pk)
}

fn insert_sorted(items: &[Arc<Item>], list: &mut Vec<u32>, slot: u32) {
    let k = key(&items[slot as usize]);
    let at = list.partition_point(|&j| key(&items[j as usize]) > k);
    list.insert(at, slot);
}

fn remove_from<K: std::hash::Hash + Eq>(
    map: &mut rustc_hash::FxHashMap<K, Arc<Vec<u32>>>,
    k: K,
    slot: u32,
) {
    if let Some(list) = map.get_mut(&k) {
        let l = Arc::make_mut(list);
        l.retain(|&j| j != slot);
        if l.is_empty() {
            map.remove(&k);
        }
    }
}

impl Snapshot {
    /// A snapshot of `items` (any order) with every index built: a new epoch, slots in
    /// recency order.
    pub(super) fn whole(
        mut items: Vec<Arc<Item>>,
        vocab: Arc<Vocab>,
        pins: &[(String, String)],
    ) -> Snapshot {
        items.sort_by_key(|b| std::cmp::Reverse(key(b)));
        let generation = next_generation();
        let mut s = Snapshot {
            generation,
            epoch: generation,
            vocab,
            ..Snapshot::default()
        };
        s.by_key.reserve(items.len());
        s.by_pk.reserve(items.len());
        s.recent.reserve_exact(items.len());
        for (i, it) in items.iter().enumerate() {
            let i = i as u32;
            s.by_key.insert(key_hash(it.source, it.id()), i);
            s.by_pk.insert(it.pk, i);
            s.recent.push(i);
            for &t in &it.tags {
                Arc::make_mut(s.by_tag.entry(t).or_default()).push(i);
            }
            if let Some(sec) = it.section {
                Arc::make_mut(s.by_section.entry(sec).or_default()).push(i);
            }
            Arc::make_mut(s.by_source.entry(it.source).or_default()).push(i);
        }
        s.items = items;
        s.finish(pins);
        s
    }

    /// The next snapshot of the same epoch: this one's indexes with `changes` applied.
    pub(super) fn next(
        &self,
        vocab: Arc<Vocab>,
        changes: Vec<Change>,
        pins: &[(String, String)],
    ) -> Snapshot {
        let mut s = Snapshot {
            generation: next_generation(),
            epoch: self.epoch,
            items: self.items.clone(),
            vocab,
            by_key: self.by_key.clone(),
            by_pk: self.by_pk.clone(),
            recent: self.recent.clone(),
            by_tag: self.by_tag.clone(),
            by_section: self.by_section.clone(),
            by_source: self.by_source.clone(),
            ..Snapshot::default()
        };
        for c in changes {
            match c {
                Change::Remove(pk) => {
                    if let Some(slot) = s.by_pk.get(&pk).copied() {
                        s.unlist(slot);
                    }
                }
                Change::Upsert(item) => {
                    // A changed article keeps its slot (what members opened stays known).
                    let slot = match s.by_pk.get(&item.pk).copied() {
                        Some(slot) => {
                            s.unlist(slot);
                            s.items[slot as usize] = Arc::new(item);
                            slot
                        }
                        None => {
                            s.items.push(Arc::new(item));
                            (s.items.len() - 1) as u32
                        }
                    };
                    s.list(slot);
                }
            }
        }
        s.finish(pins);
        s
    }

    /// Puts `slot` into every index its item belongs to.
    fn list(&mut self, slot: u32) {
        let it = self.items[slot as usize].clone();
        self.by_key.insert(key_hash(it.source, it.id()), slot);
        self.by_pk.insert(it.pk, slot);
        insert_sorted(&self.items, &mut self.recent, slot);
        for &t in &it.tags {
            insert_sorted(
                &self.items,
                Arc::make_mut(self.by_tag.entry(t).or_default()),
                slot,
            );
        }
        if let Some(sec) = it.section {
            insert_sorted(
                &self.items,
                Arc::make_mut(self.by_section.entry(sec).or_default()),
                slot,
            );
        }
        insert_sorted(
            &self.items,
            Arc::make_mut(self.by_source.entry(it.source).or_default()),
            slot,
        );
    }

    /// Takes `slot` out of every index.
    fn unlist(&mut self, slot: u32) {
        let it = self.items[slot as usize].clone();
        let k = key_hash(it.source, it.id());
        if self.by_key.get(&k) == Some(&slot) {
            self.by_key.remove(&k);
        }
        self.by_pk.remove(&it.pk);
        self.recent.retain(|&j| j != slot);
        for &t in &it.tags {
            remove_from(&mut self.by_tag, t, slot);
        }
        if let Some(sec) = it.section {
            remove_from(&mut self.by_section, sec, slot);
        }
        remove_from(&mut self.by_source, it.source, slot);
    }

    /// What follows from the lists: the newest time, stories, pins.
    fn finish(&mut self, pins: &[(String, String)]) {
        self.newest = self
            .recent
            .first()
            .map_or(0, |&i| self.items[i as usize].sort_time);
        let (story, carried) = story::group(&self.items, &self.recent);
        self.story = story;
        self.carried_by = carried;
        self.pinned = pins
            .iter()
            .filter_map(|(src, id)| self.find(src, id))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Section;

    fn item(pk: i64, time: i64, source: u32, tags: &[u32], story: Option<i64>) -> Item {
        let section = [Section::Economy, Section::Sport][(pk % 2) as usize];
        Item::new(
            pk,
            source,
            &format!("a-{pk}"),
            &format!("title {pk}"),
            None,
            Some(section),
            Some(time),
            time,
            tags.into(),
            Box::default(),
            story,
        )
    }

    /// Article `pk` as the first build has it.
    fn first_build(pk: i64) -> Item {
        let tags = [pk as u32 % 4, 9];
        item(pk, pk * 10, (pk % 3) as u32, &tags, Some(pk % 5))
    }

    /// What a snapshot says, by row keys (slots differ between builds).
    fn view(s: &Snapshot) -> Vec<String> {
        let pks = |l: &[u32]| l.iter().map(|&i| s.item(i).pk).collect::<Vec<_>>();
        let mut out = vec![format!("recent {:?}", pks(&s.recent))];
        let mut tags: Vec<_> = s.by_tag.iter().map(|(t, l)| (*t, pks(l))).collect();
        tags.sort();
        out.push(format!("tags {tags:?}"));
        let mut secs: Vec<_> = s.by_section.iter().map(|(t, l)| (*t, pks(l))).collect();
        secs.sort();
        out.push(format!("sections {secs:?}"));
        let mut srcs: Vec<_> = s.by_source.iter().map(|(t, l)| (*t, pks(l))).collect();
        srcs.sort();
        out.push(format!("sources {srcs:?}"));
        for &i in &s.recent {
            let it = s.item(i);
            let story = s.item(s.story[i as usize]).pk;
            let found = s.find(s.source_name(it), it.id()).map(|j| s.item(j).pk);
            out.push(format!(
                "{} story {story} carried {} found {found:?} by_pk {:?}",
                it.pk,
                s.carried_by[i as usize],
                s.by_pk.get(&it.pk).map(|&j| s.item(j).pk)
            ));
        }
        out.push(format!("newest {} len {}", s.newest, s.len()));
        out
    }

    #[test]
    fn changes_applied_to_a_snapshot_match_a_full_build_of_the_result() {
        let mut vocab = Vocab::default();
        for name in ["s0", "s1", "s2"] {
            vocab.source(name);
        }
        let vocab = Arc::new(vocab);
        let first: Vec<Item> = (1..=12).map(first_build).collect();
        let base = Snapshot::whole(
            first.into_iter().map(Arc::new).collect(),
            vocab.clone(),
            &[],
        );
        // New articles (newest, oldest, in between, with a new tag; one changed again), a
        // changed one (new time, tags, story and source), withdrawn ones (one published, one
        // never seen).
        let changes = vec![
            Change::Upsert(item(20, 500, 1, &[7], Some(1))),
            Change::Upsert(item(21, 1, 2, &[0, 9], None)),
            Change::Upsert(item(22, 55, 0, &[3], Some(2))),
            Change::Upsert(item(4, 400, 2, &[8], Some(3))),
            Change::Remove(7),
            Change::Remove(99),
            Change::Upsert(item(22, 56, 0, &[3, 1], Some(2))),
        ];
        let next = base.next(vocab.clone(), changes, &[("s2".into(), "a-4".into())]);
        let mut all: Vec<Item> = (1..=12)
            .filter(|&pk| pk != 7 && pk != 4)
            .map(first_build)
            .collect();
        all.push(item(20, 500, 1, &[7], Some(1)));
        all.push(item(21, 1, 2, &[0, 9], None));
        all.push(item(22, 56, 0, &[3, 1], Some(2)));
        all.push(item(4, 400, 2, &[8], Some(3)));
        let whole = Snapshot::whole(
            all.into_iter().map(Arc::new).collect(),
            vocab,
            &[("s2".into(), "a-4".into())],
        );
        assert_eq!(view(&next), view(&whole));
        assert_eq!(next.epoch, base.epoch);
        assert_ne!(next.generation, base.generation);
        assert_ne!(whole.epoch, base.epoch);
        let pinned = |s: &Snapshot| s.pinned.iter().map(|&i| s.item(i).pk).collect::<Vec<_>>();
        assert_eq!(pinned(&next), vec![4]);
        assert_eq!(pinned(&whole), vec![4]);
        // The base snapshot is untouched, and a changed article kept its slot.
        assert_eq!(base.len(), 12);
        assert_eq!(base.by_pk.get(&4), next.by_pk.get(&4));
        assert_eq!(base.item(base.by_pk[&4]).sort_time, 40);
    }
}
