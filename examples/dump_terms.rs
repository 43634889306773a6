//! Dumps, per record of a JSON Lines file (cleaned as import cleans it), the classifier's
//! view: category, title, body, analyzer terms of each, normalised text. For exploration.
use sahifa::arabic::{Analyzer, normalize};
use sahifa::understand::commands::read_records;
use sahifa::understand::features::article_text;

fn main() -> anyhow::Result<()> {
    let file = std::env::args().nth(1).expect("FILE.jsonl");
    let a = Analyzer;
    for r in read_records(std::path::Path::new(&file))? {
        let (title, body) = article_text(&r.article);
        let line = serde_json::json!({
            "category": r.category.map(|s| s.slug()),
            "title": title, "body": body,
            "tterms": a.terms(&title), "bterms": a.terms(&body),
            "tnorm": normalize(&title), "bnorm": normalize(&body),
        });
        println!("{line}");
    }
    Ok(())
}
