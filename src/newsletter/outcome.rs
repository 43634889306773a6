//! How one SMTP attempt ended and where that leaves its ledger row: the classification of
//! lettre's errors (2xx, 4xx, 5xx, or broken off mid-transaction), the retry backoff, and
//! the per-batch counts.

/// Counts of one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub claimed: usize,
    pub sent: usize,
    pub failed: usize,
    pub retried: usize,
    pub uncertain: usize,
}

/// Where one attempt left its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Settled {
    Sent,
    Failed,
    Retried,
    Uncertain,
}

impl BatchReport {
    pub(super) fn add(&mut self, s: Settled) {
        match s {
            Settled::Sent => self.sent += 1,
            Settled::Failed => self.failed += 1,
            Settled::Retried => self.retried += 1,
            Settled::Uncertain => self.uncertain += 1,
        }
    }
}

/// The server's answer to one attempt, classified.
pub(super) struct Answer {
    pub(super) outcome: Outcome,
    pub(super) reason: String,
    /// A 4xx reply (counted as a soft bounce), not a failure to connect.
    pub(super) soft_bounce: bool,
}

/// How an SMTP attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// 4xx, or the server could not be reached: nothing was delivered; try later.
    Temporary,
    /// 5xx: refused for good.
    Permanent,
    /// The transaction broke off after it began: it may or may not have been delivered.
    Unknown,
}

/// Classifies a send error by lettre's SMTP error kinds.
pub fn classify(e: &anyhow::Error) -> Outcome {
    match e.downcast_ref::<lettre::transport::smtp::Error>() {
        Some(s) if s.is_permanent() => Outcome::Permanent,
        Some(s) if s.is_transient() => Outcome::Temporary,
        // lettre reports a failure to connect (nothing sent yet) as a "Connection error".
        Some(s) if s.to_string().starts_with("Connection error") => Outcome::Temporary,
        _ => Outcome::Unknown,
    }
}

/// Retry delay after `attempts` temporary refusals: 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let minutes = 1i64 << attempts.clamp(1, 7).saturating_sub(1);
    chrono::Duration::minutes(minutes.min(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), chrono::Duration::minutes(1));
        assert_eq!(backoff(2), chrono::Duration::minutes(2));
        assert_eq!(backoff(4), chrono::Duration::minutes(8));
        assert_eq!(backoff(30), chrono::Duration::minutes(60));
        assert_eq!(classify(&anyhow::anyhow!("disk full")), Outcome::Unknown);
    }
}
