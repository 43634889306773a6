//! `sahifa eval stories` and `sahifa stories regroup`.

use std::path::Path;

use anyhow::Context;

use crate::app::AppState;
use crate::config::Config;
use crate::ingest::jsonl;

/// The default corpus, relative to the repository.
pub const DEFAULT_CORPUS: &str = "../shared/data/arabic-news/dev.jsonl";

/// Reads the records of a JSON Lines file (a line that does not parse is named and skipped).
pub fn read_records(file: &Path) -> anyhow::Result<Vec<crate::ingest::Incoming>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match jsonl::parse_record(line.as_bytes()) {
            Ok(r) => out.push(r),
            Err(e) => eprintln!("{}:{}: {e}", file.display(), n + 1),
        }
    }
    Ok(out)
}

/// Builds the pairs from `file`, imports them into a fresh store and prints the measures.
pub async fn eval(file: &Path, copies: usize, seed: u64, json: bool) -> anyhow::Result<()> {
    if !file.exists() {
        println!(
            "skipping the stories evaluation: {} is not there (it ships in ../shared/data)",
            file.display()
        );
        return Ok(());
    }
    let originals = read_records(file)?;
    let built = super::eval::build(originals, copies, seed);
    let dir = std::env::temp_dir().join(format!(
        "sahifa-eval-stories-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let state = AppState::build(Config {
        data_dir: dir.clone(),
        database_url: format!("sqlite://{}", dir.join("eval.db").display()),
        ..Config::default()
    })
    .await?;
    let report = super::eval::measure(&state.newsroom, built).await;
    state.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    let report = report?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(())
}

/// `sahifa stories regroup`: groups every stored article again.
pub async fn regroup(state: &AppState) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let n = state.store.regroup_all().await?;
    let stories = state.store.stories(i64::MAX).await?.len();
    println!(
        "grouped {n} articles: {stories} stories of two or more ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
