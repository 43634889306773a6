//! Per-node cache of members' derived profiles. A feed request of a member seen a moment
//! ago reads no SQL and derives nothing: it reuses the profile derived over a snapshot of
//! the same epoch (item slots, term and tag ids keep their meaning across the snapshots
//! of one full build). An entry goes when the member follows, unfollows or records a
//! signal on this node (at once), on a full rebuild (a new epoch), and after [`FRESH_FOR`]
//! (what another node wrote, or a tag first seen since, shows after that). With the
//! profile, the first part of the member's ranking over the current snapshot is kept, so
//! that the next page or a reload does not score every candidate again.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use crate::reader::FollowKind;
use crate::store::Store;

use super::profile::{self, MemberData, Profile};
use super::score::Scored;
use super::snapshot::Snapshot;

/// How long a node trusts what it read of a member (another node's writes show after it).
const FRESH_FOR: Duration = Duration::from_secs(3);
/// Signals read per member: the most recent ones.
const SIGNALS_READ: i64 = 500;
/// Above this many slots, expired ones are swept on insert; above [`MAX_SLOTS`] (members
/// active within [`FRESH_FOR`]: thousands of requests a second) the cache starts again.
const SWEEP_ABOVE: usize = 1024;
const MAX_SLOTS: usize = 8192;
/// Candidates kept of a ranking (best first): enough for several pages.
const RANKED_KEPT: usize = 400;

/// The first part of a member's ranking over one snapshot.
pub struct Ranked {
    pub generation: u64,
    pub best: Vec<Scored>,
    /// Whether `best` is all of the ranking.
    pub complete: bool,
}

/// What the cache knows of a member for one feed request.
pub struct Member {
    pub profile: Arc<Profile>,
    /// The ranking kept over this very snapshot, if any.
    pub ranked: Option<Arc<Ranked>>,
    stamp: u64,
}

/// One member's slot. `stamp` changes whenever the member's data changes on this node, so
/// that a load that began before the change cannot store what it read.
struct Slot {
    stamp: u64,
    at: Instant,
    cached: Option<(u64, Arc<Profile>)>,
    ranked: Option<Arc<Ranked>>,
}

#[derive(Default)]
struct Inner {
    slots: FxHashMap<i64, Slot>,
    next_stamp: u64,
}

impl Inner {
    /// Starts the member's slot afresh (nothing cached); returns its new stamp.
    fn renew(&mut self, user_pk: i64) -> u64 {
        self.next_stamp += 1;
        let stamp = self.next_stamp;
        self.slots.insert(
            user_pk,
            Slot {
                stamp,
                at: Instant::now(),
                cached: None,
                ranked: None,
            },
        );
        stamp
    }
}

/// Profiles of the members this node served within the last seconds.
#[derive(Default)]
pub struct ProfileCache {
    inner: Mutex<Inner>,
}

impl ProfileCache {
    /// Forgets the member's profile (after a follow or a signal on this node).
    pub fn forget(&self, user_pk: i64) {
        self.lock().renew(user_pk);
    }

    /// The cache holds no invariant a panicking holder could break half-way.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The member's profile over `snap` at `now` (ms): cached, or read and derived.
    pub async fn get(
        &self,
        store: &Store,
        snap: &Snapshot,
        user_pk: i64,
        now: i64,
    ) -> anyhow::Result<Member> {
        let stamp = {
            let mut m = self.lock();
            match m.slots.get(&user_pk) {
                Some(s) => {
                    if let Some((epoch, p)) = &s.cached
                        && *epoch == snap.epoch
                        && s.at.elapsed() < FRESH_FOR
                    {
                        return Ok(Member {
                            profile: p.clone(),
                            ranked: s.ranked.clone().filter(|r| r.generation == snap.generation),
                            stamp: s.stamp,
                        });
                    }
                    s.stamp
                }
                None => m.renew(user_pk),
            }
        };
        let started = Instant::now();
        let data = load(store, user_pk).await?;
        let p = Arc::new(profile::derive(snap, &data, now));
        let mut m = self.lock();
        if m.slots.len() > SWEEP_ABOVE {
            m.slots.retain(|_, s| s.at.elapsed() < FRESH_FOR);
        }
        if m.slots.len() > MAX_SLOTS {
            m.slots.clear();
        }
        if let Some(s) = m.slots.get_mut(&user_pk)
            && s.stamp == stamp
        {
            s.at = started;
            s.cached = Some((snap.epoch, p.clone()));
            s.ranked = None;
        }
        Ok(Member {
            profile: p,
            ranked: None,
            stamp,
        })
    }

    /// Keeps the first part of `ranked`, the ranking of `member`'s profile over snapshot
    /// `generation`, unless the member's data changed meanwhile.
    pub fn keep(&self, user_pk: i64, member: &Member, generation: u64, mut ranked: Vec<Scored>) {
        let complete = ranked.len() <= RANKED_KEPT;
        ranked.truncate(RANKED_KEPT);
        let mut m = self.lock();
        if let Some(s) = m.slots.get_mut(&user_pk)
            && s.stamp == member.stamp
            && s.cached
                .as_ref()
                .is_some_and(|(_, p)| Arc::ptr_eq(p, &member.profile))
        {
            s.ranked = Some(Arc::new(Ranked {
                generation,
                best: ranked,
                complete,
            }));
        }
    }
}

/// What the store holds about the member's reading: three queries.
async fn load(store: &Store, user_pk: i64) -> anyhow::Result<MemberData> {
    let follows = store
        .follows_of(user_pk)
        .await?
        .into_iter()
        .filter_map(|(k, v, _)| Some((FollowKind::parse(&k)?, v)))
        .collect();
    let signals = store.signals_of(user_pk, SIGNALS_READ).await?;
    let hidden = store.hidden_sources(user_pk).await?;
    Ok(MemberData {
        follows,
        signals,
        hidden,
    })
}

/// What the store holds about each of `user_pks` (up to a few hundred), read with one
/// query per table instead of three per member; bypasses the cache.
pub async fn load_many(
    store: &Store,
    user_pks: &[i64],
) -> anyhow::Result<FxHashMap<i64, MemberData>> {
    let mut out: FxHashMap<i64, MemberData> = user_pks
        .iter()
        .map(|&pk| (pk, MemberData::default()))
        .collect();
    for (pk, kind, value) in store.follows_of_many(user_pks).await? {
        if let (Some(d), Some(kind)) = (out.get_mut(&pk), FollowKind::parse(&kind)) {
            d.follows.push((kind, value));
        }
    }
    for (pk, signal) in store.signals_of_many(user_pks, SIGNALS_READ).await? {
        if let Some(d) = out.get_mut(&pk) {
            d.signals.push(signal);
        }
    }
    for (pk, source) in store.hidden_sources_of_many(user_pks).await? {
        if let Some(d) = out.get_mut(&pk) {
            d.hidden.push(source);
        }
    }
    Ok(out)
}
