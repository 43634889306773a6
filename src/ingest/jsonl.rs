//! JSON Lines article records (PRODUCT.md format), read as a stream with a per-line limit so
//! that memory does not grow with the file and one bad line never costs the others.

use std::io::BufRead;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::Incoming;
use super::dates::parse_published;

/// Lines longer than this are rejected unread.
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// One line of input: its 1-based number and either its bytes or why it was skipped.
pub type Line = (usize, Result<Vec<u8>, String>);

/// Reads lines of at most `max` bytes; a longer line is skipped (not buffered) and reported.
pub struct LineReader<R> {
    inner: R,
    line_no: usize,
    max: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, max: usize) -> Self {
        LineReader {
            inner,
            line_no: 0,
            max,
        }
    }
}

impl<R: BufRead> Iterator for LineReader<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        let mut total = 0usize;
        let mut seen_any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if chunk.is_empty() {
                if !seen_any {
                    return None;
                }
                break;
            }
            seen_any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(p) => (p + 1, true),
                None => (chunk.len(), false),
            };
            total += take;
            if total <= self.max + 1 {
                buf.extend_from_slice(&chunk[..take]);
            }
            self.inner.consume(take);
            if done {
                break;
            }
        }
        self.line_no += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            total -= 1;
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if total > self.max {
            let mib = total as f64 / (1024.0 * 1024.0);
            return Some(Ok((
                self.line_no,
                Err(format!(
                    "line is {mib:.1} MiB, over the {} MiB limit for one record",
                    self.max / (1024 * 1024)
                )),
            )));
        }
        Some(Ok((self.line_no, Ok(buf))))
    }
}

pub use super::report::FieldWarning;

/// Parses one JSON Lines record. Errors name the field at fault; an unreadable optional
/// field is dropped and named in the record's `warnings`.
pub fn parse_record(bytes: &[u8]) -> Result<Incoming, String> {
    parse_record_warned(bytes).map(|(mut inc, warnings)| {
        inc.warnings = warnings;
        inc
    })
}

/// Parses one record, and says which optional fields were unreadable and dropped (the
/// record is kept: a bad `published` never costs the article).
pub fn parse_record_warned(bytes: &[u8]) -> Result<(Incoming, Vec<FieldWarning>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1))?;
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err(format!("expected a JSON object, found {}", kind(&value)));
    };
    let body = match map.get("body") {
        None | Some(Value::Null) => return Err("missing field `body`".into()),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let mut paras = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => paras.push(s.as_str()),
                    other => {
                        return Err(format!(
                            "field `body[{i}]`: expected a string, found {}",
                            kind(other)
                        ));
                    }
                }
            }
            paras.join("\n")
        }
        Some(other) => {
            return Err(format!(
                "field `body`: expected a string or an array of strings, found {}",
                kind(other)
            ));
        }
    };
    let (published, warnings) = published(&map);
    let incoming = Incoming {
        id: opt_string(&map, "id")?,
        source: opt_string(&map, "source")?,
        title: opt_string(&map, "title")?,
        subtitle: opt_string(&map, "subtitle")?,
        body,
        category: opt_string(&map, "category")?.or(opt_string(&map, "section")?),
        url: opt_string(&map, "url")?,
        published,
        warnings: Vec::new(),
    };
    Ok((incoming, warnings))
}

/// The optional `published` field: a date in any shape [`parse_published`] reads, or a
/// number of seconds or milliseconds since the epoch; anything else is a warning.
fn published(map: &Map<String, Value>) -> (Option<DateTime<Utc>>, Vec<FieldWarning>) {
    let warn = |reason: String| {
        (
            None,
            vec![FieldWarning {
                field: "published",
                reason,
            }],
        )
    };
    match map.get("published") {
        None | Some(Value::Null) => (None, Vec::new()),
        Some(Value::String(s)) if s.trim().is_empty() => (None, Vec::new()),
        Some(Value::String(s)) => match parse_published(s) {
            Some(t) => (Some(t), Vec::new()),
            None => warn(format!("{s:?} is not a readable date; kept without one")),
        },
        Some(Value::Number(n)) => match parse_published(&n.to_string()) {
            Some(t) => (Some(t), Vec::new()),
            None => warn(format!("{n} is not a readable timestamp; kept without one")),
        },
        Some(other) => warn(format!(
            "expected a date string, found {}; kept without one",
            kind(other)
        )),
    }
}

/// An optional string field; numbers are accepted for `id` only (many feeds use them).
fn opt_string(map: &Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if field == "id" => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "field `{field}`: expected a string, found {}",
            kind(other)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a date in any common shape (see [`super::dates`]); kept for callers of the old name.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    parse_published(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Line> {
        LineReader::new(input, max)
            .map(|l| l.expect("io"))
            .collect()
    }

    #[test]
    fn reader_numbers_lines_and_skips_long_ones() {
        let got = lines(b"a\r\nbbbbbbbbbb\n\nc", 4);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], (1, Ok(b"a".to_vec())));
        assert!(got[1].1.as_ref().is_err_and(|e| e.contains("limit")));
        assert_eq!(got[2], (3, Ok(Vec::new())));
        assert_eq!(got[3], (4, Ok(b"c".to_vec())));
    }

    #[test]
    fn record_errors_name_the_field() {
        let e = parse_record(br#"{"id":"1","title":"t"}"#).unwrap_err();
        assert!(e.contains("`body`"), "{e}");
        let e = parse_record(br#"{"id":"1","title":5,"body":"b"}"#).unwrap_err();
        assert!(e.contains("`title`") && e.contains("number"), "{e}");
        let (kept, warnings) =
            parse_record_warned(br#"{"id":"1","title":"t","body":"b","published":"yesterday"}"#)
                .expect("kept");
        assert_eq!((kept.title.as_deref(), kept.published), (Some("t"), None));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].field, "published");
        assert!(warnings[0].reason.contains("yesterday"), "{warnings:?}");
        let (kept, warnings) =
            parse_record_warned(br#"{"id":"1","title":"t","body":"b","published":[1]}"#)
                .expect("kept");
        assert!(kept.published.is_none() && warnings[0].reason.contains("array"));
        let (kept, warnings) =
            parse_record_warned(br#"{"id":"1","title":"t","body":"b","published":"17/05/2015"}"#)
                .expect("kept");
        assert!(kept.published.is_some() && warnings.is_empty());
        assert!(
            parse_record(b"{not json")
                .unwrap_err()
                .contains("invalid JSON")
        );
        assert!(parse_record(b"[1]").unwrap_err().contains("object"));
        assert!(
            parse_record(b"{\"body\":\"\xff\"}")
                .unwrap_err()
                .contains("UTF-8")
        );
    }

    #[test]
    fn accepts_the_product_format() {
        let r = parse_record(
            r#"{"id":"x","title":"عنوان","body":"فقرة\nفقرة","category":"sport","published":"2018-02-16T10:00:00+04:00"}"#
                .as_bytes(),
        )
        .expect("valid");
        assert_eq!(r.category.as_deref(), Some("sport"));
        assert_eq!(
            r.published.map(|t| t.to_rfc3339()).as_deref(),
            Some("2018-02-16T06:00:00+00:00")
        );
    }

    use proptest::prelude::*;

    /// A record as a JSON object, and the record it must parse to.
    fn record() -> impl Strategy<Value = (serde_json::Value, Incoming)> {
        let text = || proptest::option::of("\\PC{0,30}");
        (
            (text(), text(), text(), text(), text(), text()),
            proptest::collection::vec("[^\n]{0,40}", 1..5),
            any::<bool>(),
            proptest::option::of(0i64..4_000_000_000_000),
        )
            .prop_map(
                |((id, source, title, subtitle, category, url), paras, as_array, ms)| {
                    let published = ms.and_then(DateTime::<Utc>::from_timestamp_millis);
                    let body = if as_array {
                        serde_json::json!(paras)
                    } else {
                        serde_json::json!(paras.join("\n"))
                    };
                    let json = serde_json::json!({
                        "id": id, "source": source, "title": title, "subtitle": subtitle,
                        "body": body, "category": category, "url": url,
                        "published": published.map(|t| t.to_rfc3339()),
                    });
                    let want = Incoming {
                        id,
                        source,
                        title,
                        subtitle,
                        body: paras.join("\n"),
                        category,
                        url,
                        published,
                        warnings: Vec::new(),
                    };
                    (json, want)
                },
            )
    }

    proptest::proptest! {
        #[test]
        fn a_written_record_parses_to_the_same_article((json, want) in record()) {
            let got = parse_record(json.to_string().as_bytes());
            prop_assert_eq!(got, Ok(want));
        }

        #[test]
        fn any_bytes_parse_to_a_record_that_reparses_the_same(
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
            (json, _) in record(),
        ) {
            // Random bytes, and a real record with random bytes spliced in.
            let mut spliced = json.to_string().into_bytes();
            let at = bytes.len() % spliced.len();
            spliced.splice(at..at, bytes.iter().copied());
            for input in [&bytes, &spliced] {
                if let Ok(r) = parse_record(input) {
                    let again = serde_json::json!({
                        "id": r.id, "source": r.source, "title": r.title,
                        "subtitle": r.subtitle, "body": r.body, "category": r.category,
                        "url": r.url, "published": r.published.map(|t| t.to_rfc3339()),
                    });
                    let back = parse_record(again.to_string().as_bytes());
                    prop_assert_eq!(back.map(|b| Incoming { warnings: Vec::new(), ..b }),
                        Ok(Incoming { warnings: Vec::new(), ..r }));
                }
            }
        }

        #[test]
        fn reader_round_trips_lines(v in proptest::collection::vec("[a-z]{0,10}", 1..20)) {
            let text = v.join("\n");
            let got: Vec<Vec<u8>> = LineReader::new(text.as_bytes(), 64)
                .map(|l| l.expect("io").1.expect("short"))
                .collect();
            let want: Vec<Vec<u8>> = text.split('\n').map(|s| s.as_bytes().to_vec()).collect();
            // A trailing empty line after a final newline is not a line.
            let want = if text.is_empty() {
                Vec::new()
            } else if text.ends_with('\n') {
                want[..want.len() - 1].to_vec()
            } else {
                want
            };
            proptest::prop_assert_eq!(got, want);
        }
    }
}
