//! Sliding-window rate limits kept in memory, per key (an IP, an account, an address).
//! Each `serve` node limits on its own; behind a load balancer the effective limit is the
//! per-node limit times the node count.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// The limiter shared by all requests of one process.
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Records one event under `key` and says whether it is within `limit`. Refused events
    /// are not recorded, so a blocked client is let in again once the window passes.
    pub fn allow(&self, key: &str, limit: Limit) -> bool {
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
    pub fn exhausted(&self, key: &str, limit: Limit) -> bool {
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
    pub fn record(&self, key: &str) {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.entry(key.to_string())
            .or_default()
            .push_back(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_key() {
        let rl = RateLimiter::new();
        let l = Limit::per_minute(3);
        assert!((0..3).all(|_| rl.allow("ip:1", l)));
        assert!(!rl.allow("ip:1", l));
        assert!(rl.exhausted("ip:1", l));
        assert!(rl.allow("ip:2", l));
        let short = Limit {
            max: 1,
            window: Duration::from_millis(20),
        };
        assert!(rl.allow("k", short));
        assert!(!rl.allow("k", short));
        std::thread::sleep(Duration::from_millis(30));
        assert!(rl.allow("k", short));
    }
}
