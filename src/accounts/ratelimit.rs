//! Sliding-window rate limits per key (an IP, an account, an address). On the embedded
//! SQLite store (one node by design) they are kept in memory. On PostgreSQL, where several
//! `serve` nodes share one database behind a load balancer, the events are kept in the
//! database, so a limit holds for the whole site and not once per node.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::store::Store;

/// A named limit: at most `max` events per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: usize,
    pub window: Duration,
}

impl Limit {
    pub const fn per_minute(max: usize) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(60),
        }
    }
    pub const fn per_hour(max: usize) -> Limit {
        Limit {
            max,
            window: Duration::from_secs(3600),
        }
    }
}

/// Sign-in attempts from one IP.
pub const SIGNIN_PER_IP: Limit = Limit::per_minute(10);
/// Failed sign-ins against one account.
pub const SIGNIN_FAILURES_PER_ACCOUNT: Limit = Limit::per_hour(10);
/// Sign-ups from one IP.
pub const SIGNUP_PER_IP: Limit = Limit::per_hour(20);
/// Password-reset and e-mail sign-in requests from one IP.
pub const MAIL_REQUESTS_PER_IP: Limit = Limit::per_hour(20);
/// E-mails sent to one address, whatever the reason.
pub const MAIL_PER_ADDRESS: Limit = Limit::per_hour(5);
/// One-time code guesses per IP.
pub const CODE_PER_IP: Limit = Limit::per_minute(10);

/// The limiter shared by all requests of one process (and, with a shared store, of every
/// node).
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Where the events live when they are shared between nodes.
    shared: Option<Store>,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Logs that the shared store failed; the caller then judges by this node's memory.
fn shared_unavailable(e: &anyhow::Error) {
    tracing::warn!(error = %e, "shared rate limit unavailable; using this node's");
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl RateLimiter {
    /// Limits kept in this process's memory.
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Limits kept in `store`, shared by every node that uses it.
    pub fn shared(store: Store) -> RateLimiter {
        RateLimiter {
            shared: Some(store),
            ..RateLimiter::default()
        }
    }

    /// Records one event under `key` and says whether it is within `limit`. Refused events
    /// are not recorded, so a blocked client is let in again once the window passes. If the
    /// shared store cannot be reached, the event is judged by this node's memory instead
    /// (a limit never turns into an outage, nor into no limit at all).
    pub async fn allow(&self, key: &str, limit: Limit) -> bool {
        if let Some(store) = &self.shared {
            let max = i64::try_from(limit.max).unwrap_or(i64::MAX);
            match store
                .rate_allow(key, max, millis(limit.window), now_ms())
                .await
            {
                Ok(allowed) => return allowed,
                Err(e) => shared_unavailable(&e),
            }
        }
        self.allow_here(key, limit)
    }

    fn allow_here(&self, key: &str, limit: Limit) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if hits.len() > 50_000 {
            hits.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < limit.window)
            });
        }
        let q = hits.entry(key.to_string()).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.window)
        {
            q.pop_front();
        }
        if q.len() >= limit.max {
            return false;
        }
        q.push_back(now);
        true
    }

    /// Whether `key` is already at its limit, without recording anything.
    pub async fn exhausted(&self, key: &str, limit: Limit) -> bool {
        if let Some(store) = &self.shared {
            match store.rate_count(key, millis(limit.window), now_ms()).await {
                Ok(n) => return usize::try_from(n).unwrap_or(usize::MAX) >= limit.max,
                Err(e) => shared_unavailable(&e),
            }
        }
        let now = Instant::now();
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(key).is_some_and(|q| {
            q.iter()
                .filter(|t| now.duration_since(**t) < limit.window)
                .count()
                >= limit.max
        })
    }

    /// Records an event without checking (e.g. a failure counted after the fact).
    pub async fn record(&self, key: &str) {
        if let Some(store) = &self.shared {
            match store.rate_record(key, now_ms()).await {
                Ok(()) => return,
                Err(e) => shared_unavailable(&e),
            }
        }
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.entry(key.to_string())
            .or_default()
            .push_back(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_past_the_limit_per_key() {
        let rl = RateLimiter::new();
        let l = Limit::per_minute(3);
        for _ in 0..3 {
            assert!(rl.allow("ip:1", l).await);
        }
        assert!(!rl.allow("ip:1", l).await);
        assert!(rl.exhausted("ip:1", l).await);
        assert!(rl.allow("ip:2", l).await);
        let short = Limit {
            max: 1,
            window: Duration::from_millis(20),
        };
        assert!(rl.allow("k", short).await);
        assert!(!rl.allow("k", short).await);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(rl.allow("k", short).await);
    }
}
