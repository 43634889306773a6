//! `sahifa eval search`: retrieval quality on question/passage files (arabic-qa format),
//! through the same index and ranking as the product.

use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::{SearchIndex, SearchRequest};
use crate::model::Article;

#[derive(Deserialize)]
struct Passage {
    pid: String,
    title: String,
    text: String,
}

#[derive(Deserialize)]
struct Question {
    query: String,
    positives: Vec<String>,
    #[serde(default)]
    dataset: Option<String>,
}

/// Mean metrics over a set of questions.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Metrics {
    pub queries: usize,
    #[serde(rename = "MRR@10")]
    pub mrr10: f64,
    #[serde(rename = "nDCG@10")]
    pub ndcg10: f64,
    #[serde(rename = "Success@1")]
    pub success1: f64,
    #[serde(rename = "Recall@10")]
    pub recall10: f64,
    #[serde(rename = "Recall@100")]
    pub recall100: f64,
}

impl Metrics {
    fn add(&mut self, ranked: &[String], positives: &HashSet<&str>) {
        let rel = |d: &String| positives.contains(d.as_str());
        let top10 = &ranked[..ranked.len().min(10)];
        let rr = top10
            .iter()
            .position(rel)
            .map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
        let dcg: f64 = top10
            .iter()
            .enumerate()
            .filter(|(_, d)| rel(d))
            .map(|(r, _)| 1.0 / (r as f64 + 2.0).log2())
            .sum();
        let idcg: f64 = (0..positives.len().min(10))
            .map(|r| 1.0 / (r as f64 + 2.0).log2())
            .sum();
        let n = positives.len().max(1) as f64;
        self.queries += 1;
        self.mrr10 += rr;
        self.ndcg10 += if idcg > 0.0 { dcg / idcg } else { 0.0 };
        self.success1 += f64::from(u8::from(ranked.first().is_some_and(rel)));
        self.recall10 += top10.iter().filter(|d| rel(d)).count() as f64 / n;
        self.recall100 += ranked.iter().take(100).filter(|d| rel(d)).count() as f64 / n;
    }

    fn mean(mut self) -> Metrics {
        let n = self.queries.max(1) as f64;
        for v in [
            &mut self.mrr10,
            &mut self.ndcg10,
            &mut self.success1,
            &mut self.recall10,
            &mut self.recall100,
        ] {
            *v /= n;
        }
        self
    }
}

/// Overall metrics and metrics per dataset.
#[derive(Debug, Serialize)]
pub struct Report {
    pub passages: usize,
    pub overall: Metrics,
    pub datasets: BTreeMap<String, Metrics>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<14} {:>7} {:>7} {:>8} {:>9} {:>9} {:>10}",
            "dataset", "queries", "MRR@10", "nDCG@10", "Success@1", "Recall@10", "Recall@100"
        )?;
        let rows = std::iter::once(("ALL", &self.overall))
            .chain(self.datasets.iter().map(|(k, v)| (k.as_str(), v)));
        for (name, m) in rows {
            writeln!(
                f,
                "{:<14} {:>7} {:>7.4} {:>8.4} {:>9.4} {:>9.4} {:>10.4}",
                name, m.queries, m.mrr10, m.ndcg10, m.success1, m.recall10, m.recall100
            )?;
        }
        Ok(())
    }
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a valid record", path.display(), i + 1))?,
        );
    }
    Ok(out)
}

/// Indexes `passages` (title + text) in a temporary folder and ranks every question of
/// `queries` against them.
pub fn run(passages: &Path, queries: &Path) -> anyhow::Result<Report> {
    let passages: Vec<Passage> = read_jsonl(passages)?;
    let questions: Vec<Question> = read_jsonl(queries)?;
    let dir = std::env::temp_dir().join(format!(
        "sahifa-eval-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let result = (|| {
        let index = SearchIndex::open(&dir)?;
        let articles: Vec<Article> = passages
            .iter()
            .map(|p| Article::new("eval", &p.pid, &p.title, vec![p.text.clone()]))
            .collect();
        index.index_articles_blocking(&articles, crate::search::Held::No)?;
        index.commit_blocking()?;
        let mut overall = Metrics::default();
        let mut datasets: BTreeMap<String, Metrics> = BTreeMap::new();
        for q in &questions {
            let ranked = index.ranked_ids(&SearchRequest {
                q: q.query.clone(),
                limit: 100,
                ..SearchRequest::default()
            })?;
            let positives: HashSet<&str> = q.positives.iter().map(String::as_str).collect();
            overall.add(&ranked, &positives);
            datasets
                .entry(q.dataset.clone().unwrap_or_else(|| "?".into()))
                .or_default()
                .add(&ranked, &positives);
        }
        Ok(Report {
            passages: passages.len(),
            overall: overall.mean(),
            datasets: datasets.into_iter().map(|(k, v)| (k, v.mean())).collect(),
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
