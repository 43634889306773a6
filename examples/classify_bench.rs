//! Benchmark: model load time and classification speed over a JSON Lines file (default: the
//! shared dev sample, repeated to 10,000 articles), plus the fixture's section and tags.
//! Run in release: `cargo run --release --example classify_bench [FILE.jsonl]`.

use std::path::PathBuf;
use std::time::Instant;

use sahifa::understand::Understanding;
use sahifa::understand::commands::read_records;

fn main() -> anyhow::Result<()> {
    let t = Instant::now();
    let u = Understanding::load_default()?;
    println!("model load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let fixture = include_str!("../tests/fixtures/asharq-libya-article.txt");
    let raw = sahifa::ingest::raw_text::parse(fixture, &Default::default())
        .map_err(|e| anyhow::anyhow!("fixture: {e}"))?;
    let inc = sahifa::ingest::Incoming {
        title: Some(raw.title),
        subtitle: raw.subtitle,
        body: raw.body.join("\n"),
        ..Default::default()
    };
    let mut a = sahifa::ingest::prepare(inc, "fixture", &Default::default())
        .map_err(|e| anyhow::anyhow!("fixture: {e}"))?;
    u.annotate(&mut a);
    println!("fixture: {:?} {:?}", a.section, a.section_confidence);
    for t in &a.tags {
        println!("  {} [{}] {} {:.3}", t.name, t.kind, t.slug, t.score);
    }

    let file = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/arabic-news/dev.jsonl"));
    let records = read_records(&file)?;
    anyhow::ensure!(!records.is_empty(), "{}: no records", file.display());
    let articles: Vec<_> = records
        .iter()
        .map(|r| &r.article)
        .cycle()
        .take(10_000)
        .collect();
    let per_thousand = |secs: f64| secs * 1e3 / (articles.len() as f64 / 1000.0);
    let t = Instant::now();
    let classified = articles
        .iter()
        .filter(|a| u.section_of(a).0.is_some())
        .count();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "classify {} articles: {secs:.2} s ({:.1} ms per thousand), {classified} above threshold",
        articles.len(),
        per_thousand(secs)
    );
    let t = Instant::now();
    let tags: usize = articles.iter().map(|a| u.tags(a).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "tag {} articles: {secs:.2} s ({:.1} ms per thousand), {:.1} tags each",
        articles.len(),
        per_thousand(secs),
        tags as f64 / articles.len() as f64
    );
    Ok(())
}
