//! Demo content that ships in the repository: the scraped fixture article and a set of short
//! Arabic articles written for this project across all six sections.

use crate::ingest::{ImportReport, Incoming, jsonl, raw_text};
use crate::newsroom::Newsroom;

const FIXTURE: &str = include_str!("../tests/fixtures/asharq-libya-article.txt");
const ARTICLES: &str = include_str!("../demo/articles.jsonl");

/// Source name of the demo fixture article.
pub const FIXTURE_SOURCE: &str = "asharq-alawsat";

/// Loads the demo set through the newsroom; running it again stores nothing twice.
pub async fn load(newsroom: &Newsroom) -> anyhow::Result<ImportReport> {
    let raw = raw_text::parse(FIXTURE, &Default::default())
        .map_err(|e| anyhow::anyhow!("demo fixture: {e}"))?;
    let fixture = Incoming {
        id: Some("libya-benghazi-haftar".into()),
        title: Some(raw.title),
        subtitle: raw.subtitle,
        body: raw.body.join("\n"),
        category: Some("middleEast".into()),
        ..Incoming::default()
    };
    let mut records = vec![fixture];
    for (i, line) in ARTICLES
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let rec = jsonl::parse_record(line.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo/articles.jsonl:{}: {e}", i + 1))?;
        records.push(rec);
    }
    newsroom
        .ingest_records(records, FIXTURE_SOURCE, "demo")
        .await
}
