//! The `jobs_cleanup` periodic job: deletes jobs done more than a week ago (failed jobs stay
//! until someone looks at them).

use std::time::Duration;

use crate::store::Store;

use super::{JobRef, Registry};

/// The kind's name in the queue.
pub const KIND: &str = "jobs_cleanup";
/// How long done jobs are kept.
const KEEP: chrono::Duration = chrono::Duration::days(7);

/// Registers the kind in `r`, hourly; `store` finds the store in the context.
pub fn register<C: Clone + Send + Sync + 'static>(r: &mut Registry<C>, store: fn(&C) -> &Store) {
    r.register(KIND, move |ctx: C, _job: JobRef, _: serde_json::Value| {
        let store = store(&ctx).clone();
        async move {
            let before = crate::store::to_millis(chrono::Utc::now() - KEEP);
            let n = store.delete_done_jobs(before).await?;
            tracing::info!(deleted = n, "old done jobs deleted");
            Ok(())
        }
    });
    r.every(KIND, Duration::from_secs(3600));
}
