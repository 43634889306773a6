//! JSON Lines records: a stream of lines (the per-line limit), each parsed as a record.
//! Property: a parsed record, written back as JSON, parses to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sahifa::ingest::jsonl::{LineReader, parse_record};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    for line in LineReader::new(data, 4096) {
        let Ok((_, Ok(bytes))) = line else {
            continue;
        };
        let Ok(r) = parse_record(&bytes) else {
            continue;
        };
        let again = json!({
            "id": r.id, "source": r.source, "title": r.title, "subtitle": r.subtitle,
            "body": r.body, "category": r.category, "url": r.url,
            "published": r.published.map(|t| t.to_rfc3339()),
        });
        let back = parse_record(again.to_string().as_bytes()).expect("a written record parses");
        assert_eq!(
            (
                &back.id,
                &back.source,
                &back.title,
                &back.subtitle,
                &back.body
            ),
            (&r.id, &r.source, &r.title, &r.subtitle, &r.body)
        );
        assert_eq!(
            (&back.category, &back.url, back.published),
            (&r.category, &r.url, r.published)
        );
    }
});
