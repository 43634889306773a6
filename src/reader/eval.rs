//! `sahifa eval foryou`: simulated readers with hidden interests over a labelled corpus
//! imported without its labels. Each reader opens a few articles and follows a little
//! through the real use-cases; their first page of the feed is judged against their hidden
//! interest (precision@10, nDCG@10) beside a recency list and a popularity list.

mod readers;

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

use crate::app::AppState;
use crate::config::Config;
use crate::ingest::jsonl;

pub use readers::{Metrics, Report};

/// The default corpus, relative to the repository.
pub const DEFAULT_CORPUS: &str = "../shared/data/arabic-news/dev.jsonl";

/// What the evaluation needs to know about each article: its hidden section.
pub type Labels = HashMap<(String, String), String>;

/// Runs the evaluation on `file` with `per_model` readers of each interest model.
pub async fn run(file: &Path, per_model: usize, seed: u64, json: bool) -> anyhow::Result<()> {
    if !file.exists() {
        println!(
            "skipping the For-you evaluation: {} is not there (it ships in ../shared/data)",
            file.display()
        );
        return Ok(());
    }
    let dir = tempfile_dir()?;
    let state = AppState::build(Config {
        data_dir: dir.clone(),
        database_url: format!("sqlite://{}", dir.join("eval.db").display()),
        password_memory_kib: 1024,
        password_iterations: 1,
        ..Config::default()
    })
    .await?;
    let labels = import_unlabelled(&state, file).await?;
    let report = readers::evaluate(&state, &labels, per_model, seed).await?;
    state.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "sahifa-eval-foryou-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Imports the records with their `category` removed (the classifier gives sections, as
/// for any unlabelled source) and returns the hidden categories.
async fn import_unlabelled(state: &AppState, file: &Path) -> anyhow::Result<Labels> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let mut labels = Labels::new();
    let mut records = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let mut rec = match jsonl::parse_record(line.as_bytes()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{}:{}: {e}", file.display(), n + 1);
                continue;
            }
        };
        let Some(category) = rec.category.take() else {
            continue;
        };
        let (Some(id), Some(source)) = (rec.id.clone(), rec.source.clone()) else {
            continue;
        };
        labels.insert((source, id), category);
        records.push(rec);
    }
    let report = state
        .newsroom
        .ingest_records(records, "local", &file.display().to_string())
        .await?;
    eprintln!(
        "imported {} articles without their categories",
        report.imported()
    );
    state.reader.refresh().await?;
    Ok(labels)
}
