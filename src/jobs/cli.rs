//! The job commands: `sahifa worker` (run jobs until SIGTERM), `sahifa jobs [--json]` (the
//! queue: counts per kind and state, and the last errors), and `serve` with its in-process
//! runner.

use std::collections::BTreeMap;

use serde_json::json;

use super::Shutdown;
use crate::app::AppState;
use crate::store::from_millis;

/// Errors `sahifa jobs` lists.
const ERRORS_SHOWN: i64 = 20;

/// `sahifa serve`: the web server, with the job runner in the same process unless jobs
/// are switched off (`--no-jobs`, `SAHIFA_JOBS=false`). Both stop on SIGTERM; running jobs
/// get the grace period, then are released.
pub async fn serve(state: AppState, no_jobs: bool) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_signals();
    let runner = (state.config.jobs && !no_jobs).then(|| super::start(&state, &shutdown));
    if runner.is_none() {
        tracing::info!("jobs are off in this process; run `sahifa worker` for them");
    }
    // The For-you features over every article, built now rather than on the first
    // member's request (a large store takes seconds).
    state.reader.warm();
    let waiting = shutdown.clone();
    let served = crate::web::serve_until(state, async move { waiting.wait().await }).await;
    shutdown.trigger();
    if let Some(r) = runner {
        r.stopped().await;
    }
    served
}

/// `sahifa worker`: runs jobs (and, when elected, the scheduler) until SIGTERM or Ctrl-C,
/// then finishes or releases what it holds.
pub async fn worker(state: AppState) -> anyhow::Result<()> {
    let shutdown = Shutdown::on_signals();
    let handle = super::start(&state, &shutdown);
    shutdown.wait().await;
    handle.stopped().await;
    Ok(())
}

fn iso(ms: i64) -> String {
    from_millis(ms).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `sahifa jobs [--json]`: counts per kind and state, then the last errors (failed jobs
/// and jobs waiting for a retry). With `--json`, one object:
/// `{"counts":{KIND:{"queued","running","done","failed"}},"errors":[{"id","kind","state",
/// "attempts","max_attempts","error","updated","next_attempt"}]}`.
pub async fn status(state: &AppState, as_json: bool) -> anyhow::Result<()> {
    let store = &state.store;
    let mut counts: BTreeMap<String, BTreeMap<&'static str, i64>> = BTreeMap::new();
    for kind in super::registry().kinds() {
        counts.entry(kind.to_string()).or_default();
    }
    for (kind, st, n) in store.job_counts().await? {
        let slot = counts.entry(kind).or_default();
        let key = match st.as_str() {
            "queued" => "queued",
            "running" => "running",
            "done" => "done",
            _ => "failed",
        };
        *slot.entry(key).or_default() += n;
    }
    for c in counts.values_mut() {
        for k in ["queued", "running", "done", "failed"] {
            c.entry(k).or_default();
        }
    }
    let errors = store.job_errors(ERRORS_SHOWN).await?;
    if as_json {
        let errors: Vec<_> = errors
            .iter()
            .map(|e| {
                json!({
                    "id": e.id,
                    "kind": e.kind,
                    "state": e.state,
                    "attempts": e.attempts,
                    "max_attempts": e.max_attempts,
                    "error": e.last_error,
                    "updated": iso(e.updated_ms),
                    "next_attempt": (e.state == "queued").then(|| iso(e.run_after_ms)),
                })
            })
            .collect();
        println!("{}", json!({ "counts": counts, "errors": errors }));
        return Ok(());
    }
    println!(
        "{:<24} {:>8} {:>8} {:>10} {:>8}",
        "kind", "queued", "running", "done", "failed"
    );
    for (kind, c) in &counts {
        println!(
            "{kind:<24} {:>8} {:>8} {:>10} {:>8}",
            c["queued"], c["running"], c["done"], c["failed"]
        );
    }
    if errors.is_empty() {
        println!("\nno errors");
    } else {
        println!("\nlast errors:");
        for e in &errors {
            let when = match e.state.as_str() {
                "queued" => format!("retry at {}", iso(e.run_after_ms)),
                _ => format!("failed at {}", iso(e.updated_ms)),
            };
            println!(
                "  #{} {} ({}): {}",
                e.id,
                e.kind,
                when,
                e.last_error.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}
