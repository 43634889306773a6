//! Search benchmark: indexing throughput (gunzip + JSON + analysis + tantivy, one process),
//! index size, and warm query latency in-process and over HTTP for the QA questions.
//!
//! cargo run --release --example search_bench -- CORPUS.jsonl.gz QUESTIONS.jsonl [--docs N]
//!     [--replicate K] [--http] [--index-only]

use std::io::BufRead;
use std::time::Instant;

use anyhow::Context;
use sahifa::model::Article;
use sahifa::search::{Held, SearchIndex, SearchRequest};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>, total_s: f64) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{name}: {} queries, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms, {:.0} QPS",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or_default(),
        ms.len() as f64 / total_s
    );
}

/// Runs `run` for each query, one at a time, and reports the latencies.
fn time_each(
    name: &str,
    qs: &[String],
    mut run: impl FnMut(&str) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut ms = Vec::with_capacity(qs.len());
    let t = Instant::now();
    for q in qs {
        let s = Instant::now();
        run(q)?;
        ms.push(s.elapsed().as_secs_f64() * 1000.0);
    }
    report(name, ms, t.elapsed().as_secs_f64());
    Ok(())
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args.get(1).context("corpus path")?;
    let questions = args.get(2).context("questions path")?;
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<usize>().ok())
    };
    let max_docs = opt("--docs").unwrap_or(usize::MAX);
    let replicate = opt("--replicate").unwrap_or(1).max(1);
    let http = args.iter().any(|a| a == "--http");
    let index_only = args.iter().any(|a| a == "--index-only");

    let data = tempfile::tempdir()?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = sahifa::config::Config {
        data_dir: data.path().to_path_buf(),
        database_url: format!("sqlite://{}", data.path().join("bench.db").display()),
        ..Default::default()
    };
    let state = sahifa::app::AppState::build(config).await?;
    let index: SearchIndex = state.search.clone();

    let started = Instant::now();
    let mut n = 0usize;
    for copy in 0..replicate {
        let file = std::fs::File::open(corpus)?;
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        let mut batch = Vec::with_capacity(1000);
        for line in reader.lines() {
            if n >= max_docs {
                break;
            }
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            let id = if copy == 0 {
                s("id")
            } else {
                format!("{}-r{copy}", s("id"))
            };
            let body = s("body").split('\n').map(String::from).collect();
            batch.push(Article::new("bench", &id, &s("title"), body));
            n += 1;
            if batch.len() == 1000 {
                index.index_articles_blocking(&batch, Held::No)?;
                batch.clear();
            }
        }
        index.index_articles_blocking(&batch, Held::No)?;
    }
    index.commit_blocking()?;
    let secs = started.elapsed().as_secs_f64();
    let merging = Instant::now();
    index.finish_merges_blocking()?;
    println!(
        "merged into one segment (as `sahifa reindex` does) in {:.2} s after the commit",
        merging.elapsed().as_secs_f64()
    );
    println!(
        "indexed {n} articles in {secs:.2} s: {:.0} articles/s; index {:.1} MiB; {} docs visible \
         in {} segments",
        n as f64 / secs,
        dir_size(&data.path().join("index")) as f64 / 1048576.0,
        index.num_docs(),
        index.segment_count()
    );

    if index_only {
        return Ok(());
    }
    let qs: Vec<String> = std::fs::read_to_string(questions)?
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["query"].as_str().map(String::from))
        .collect();
    let req = |q: &str| SearchRequest {
        q: q.to_string(),
        limit: 10,
        ..Default::default()
    };
    for q in &qs {
        index.search(&req(q))?; // warm-up
    }
    time_each(
        "in-process search() (top 10 + total + snippets)",
        &qs,
        |q| index.search(&req(q)).map(drop),
    )?;
    time_each(
        "in-process ranked_ids() (top 10 ids; no total, no snippets)",
        &qs,
        |q| index.ranked_ids(&req(q)).map(drop),
    )?;

    if http {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let router = sahifa::web::router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await;
        });
        let client = reqwest::Client::new();
        let url = |q: &str| {
            format!(
                "http://{addr}/api/v1/search?limit=10&q={}",
                sahifa::web::pages::encode(q)
            )
        };
        for q in &qs {
            client.get(url(q)).send().await?.bytes().await?;
        }
        let mut ms = Vec::with_capacity(qs.len());
        let t = Instant::now();
        for q in &qs {
            let s = Instant::now();
            let r = client.get(url(q)).send().await?;
            anyhow::ensure!(r.status().is_success(), "HTTP {}", r.status());
            r.bytes().await?;
            ms.push(s.elapsed().as_secs_f64() * 1000.0);
        }
        report(
            "HTTP /api/v1/search (one client, keep-alive)",
            ms,
            t.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}
