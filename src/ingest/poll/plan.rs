//! Planning the next check of a source: the publishing rate within bounds, the server's
//! and the feed's caching hints, and exponential backoff with jitter after errors (up to
//! seven days, never given up).

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

use super::super::fetch::{self, FetchError};
use crate::store::sources::{PollOutcome, SourceRow};
use crate::store::to_millis;

/// Longest wait after errors, and the longest any interval grows to.
pub const MAX_BACKOFF: Duration = Duration::from_secs(7 * 24 * 3600);
/// Longest interval the publishing rate or the server's caching headers can set.
pub const MAX_INTERVAL: Duration = Duration::from_secs(24 * 3600);

pub(super) fn status_of(e: &FetchError) -> &'static str {
    match e {
        FetchError::Refused(_) => "refused",
        _ => "error",
    }
}

/// The wait the server asked for (`max-age`) or the feed did (`ttl`), bounded.
pub(super) fn cache_wait(max_age: Option<u64>, ttl: Option<u64>) -> Duration {
    let secs = max_age.unwrap_or(0).max(ttl.unwrap_or(0));
    Duration::from_secs(secs).min(MAX_INTERVAL)
}

/// The interval the feed's publishing rate suggests: the median gap between its newest
/// entries, within half and eight times the interval asked for (and at most a day).
pub fn adapt(s: &SourceRow, dates: &[DateTime<Utc>]) -> Duration {
    let every = Duration::from_secs(s.every_secs.max(1) as u64);
    let lo = every / 2;
    let hi = (every * 8).min(MAX_INTERVAL).max(every);
    let mut dates: Vec<DateTime<Utc>> = dates.to_vec();
    dates.sort_unstable_by(|a, b| b.cmp(a));
    dates.dedup();
    dates.truncate(11);
    if dates.len() < 3 {
        return every;
    }
    let mut gaps: Vec<i64> = dates
        .windows(2)
        .map(|w| (w[0] - w[1]).num_seconds())
        .collect();
    gaps.sort_unstable();
    let median = Duration::from_secs(gaps[gaps.len() / 2].max(0) as u64);
    median.clamp(lo, hi)
}

/// The wait after the `failures`-th error in a row: the interval doubled per failure, with
/// ±25 % jitter, at most [`MAX_BACKOFF`].
pub fn backoff(interval: Duration, failures: i64) -> Duration {
    let doublings = failures.clamp(1, 30) as u32;
    let base = interval
        .saturating_mul(2u32.saturating_pow(doublings - 1).max(1))
        .min(MAX_BACKOFF);
    let jitter = rand::rng().random_range(0.75..1.25);
    base.mul_f64(jitter).min(MAX_BACKOFF)
}

pub(super) fn success(
    now: DateTime<Utc>,
    status: &str,
    wait: Duration,
    interval: Duration,
    resp: &fetch::Response,
    title: Option<String>,
) -> PollOutcome {
    let now_ms = to_millis(now);
    PollOutcome {
        checked: now_ms,
        success: true,
        status: status.to_string(),
        error: None,
        failures: 0,
        next_check: now_ms + wait.as_millis() as i64,
        interval_secs: interval.as_secs().max(1) as i64,
        etag: resp.etag.clone(),
        last_modified: resp.last_modified.clone(),
        title,
    }
}

pub(super) fn failure(
    s: &SourceRow,
    now: DateTime<Utc>,
    error: &str,
    status: &str,
    retry_after: Option<u64>,
) -> PollOutcome {
    let now_ms = to_millis(now);
    let failures = s.failures + 1;
    let interval = Duration::from_secs(s.interval_secs.max(1) as u64);
    let asked = Duration::from_secs(retry_after.unwrap_or(0)).min(MAX_BACKOFF);
    let wait = backoff(interval, failures).max(asked);
    PollOutcome {
        checked: now_ms,
        success: false,
        status: status.to_string(),
        error: Some(error.to_string()),
        failures,
        next_check: now_ms + wait.as_millis() as i64,
        interval_secs: s.interval_secs,
        etag: None,
        last_modified: None,
        title: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(every: i64) -> SourceRow {
        SourceRow {
            pk: 1,
            name: "s".into(),
            url: "https://example.com/feed".into(),
            title: None,
            section: None,
            category: None,
            full_content: false,
            every_secs: every,
            interval_secs: every,
            etag: None,
            last_modified: None,
            last_checked: None,
            last_success: None,
            last_status: None,
            last_error: None,
            failures: 0,
            next_check: 0,
        }
    }

    #[test]
    fn interval_follows_the_publishing_rate_within_bounds() {
        let s = source(1800);
        let t0 = Utc::now();
        let every = |mins: i64| -> Vec<DateTime<Utc>> {
            (0..10)
                .map(|i| t0 - chrono::Duration::minutes(i * mins))
                .collect()
        };
        assert_eq!(adapt(&s, &every(60)), Duration::from_secs(3600));
        assert_eq!(
            adapt(&s, &every(1)),
            Duration::from_secs(900),
            "at most twice as often"
        );
        assert_eq!(
            adapt(&s, &every(24 * 60)),
            Duration::from_secs(4 * 3600),
            "at most 8×"
        );
        assert_eq!(
            adapt(&s, &every(60)[..2]),
            Duration::from_secs(1800),
            "too few dates"
        );
    }

    #[test]
    fn backoff_grows_with_jitter_and_stops_at_seven_days() {
        let i = Duration::from_secs(1800);
        let one = backoff(i, 1);
        assert!(one >= i.mul_f64(0.75) && one <= i.mul_f64(1.25), "{one:?}");
        let five = backoff(i, 5);
        assert!(five >= (i * 16).mul_f64(0.75), "{five:?}");
        for n in [12, 30, 1000, i64::MAX] {
            let d = backoff(i, n);
            assert!(
                d <= MAX_BACKOFF && d >= MAX_BACKOFF.mul_f64(0.75),
                "{n}: {d:?}"
            );
        }
        let spread: std::collections::HashSet<u128> =
            (0..20).map(|_| backoff(i, 3).as_millis()).collect();
        assert!(spread.len() > 1, "jitter spreads retries");
    }
}
