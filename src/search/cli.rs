//! The search commands of the CLI: `search`, `reindex`, `eval search`.

use std::path::Path;

use serde::Serialize;

use super::{SearchRequest, snippet};
use crate::app::AppState;

#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    source: &'a str,
    title: &'a str,
    score: f32,
    snippet: String,
}

/// `sahifa search [--json] [--limit N] QUERY`.
pub async fn search(state: &AppState, query: &str, limit: usize, json: bool) -> anyhow::Result<()> {
    let req = SearchRequest {
        q: query.to_string(),
        limit: limit.max(1),
        ..SearchRequest::default()
    };
    let search = state.search.clone();
    let results = tokio::task::spawn_blocking(move || search.search(&req)).await??;
    for h in &results.hits {
        let snip = snippet::plain(&h.snippet);
        if json {
            println!(
                "{}",
                serde_json::to_string(&JsonHit {
                    id: &h.id,
                    source: &h.source,
                    title: &h.title,
                    score: h.score,
                    snippet: snip,
                })?
            );
        } else {
            println!(
                "{:.3}\t{}/{}\t{}\n\t{}",
                h.score, h.source, h.id, h.title, snip
            );
        }
    }
    if !json {
        let more = if results.total_exact { "" } else { "+" };
        eprintln!("{} of {}{more} hits", results.hits.len(), results.total);
    }
    Ok(())
}

/// `sahifa reindex`.
pub async fn reindex(state: &AppState) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let n = state.search.rebuild(&state.store).await?;
    println!(
        "indexed {n} articles in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `sahifa eval search --passages F --queries F [--json]`.
pub async fn eval(passages: &Path, queries: &Path, json: bool) -> anyhow::Result<()> {
    let (p, q) = (passages.to_path_buf(), queries.to_path_buf());
    let report = tokio::task::spawn_blocking(move || super::eval::run(&p, &q)).await??;
    if !json {
        println!(
            "{} passages, {} queries",
            report.passages, report.overall.queries
        );
        print!("{report}");
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
