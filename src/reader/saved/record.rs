//! The saved item record of the JSON Lines export (and of the account export): one copy,
//! versioned by its `schema` field, and how a record read back becomes a copy again.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{clean_note, terms_of};
use crate::store::{SavedItem, SavedRow, SavedTag};

/// The schema of a record; a reader accepts any `sahifa.saved/1…` record.
pub const SCHEMA: &str = "sahifa.saved/1";

/// Longest source or id accepted from an import.
const MAX_KEY: usize = 200;

/// One saved copy as exported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SavedRecord {
    pub schema: &'static str,
    pub source: String,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub body: Vec<String>,
    pub section: Option<String>,
    pub tags: Vec<SavedTag>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub saved_at: String,
    pub note: Option<String>,
    pub content_hash: String,
    /// The live article changed since the copy was taken (at export time).
    pub updated_since_saved: bool,
    /// The live article is gone (at export time).
    pub removed: bool,
}

/// RFC 3339 in UTC, to the second.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl From<&SavedRow> for SavedRecord {
    fn from(r: &SavedRow) -> Self {
        let it = &r.item;
        SavedRecord {
            schema: SCHEMA,
            source: it.source.clone(),
            id: it.id.clone(),
            title: it.title.clone(),
            subtitle: it.subtitle.clone(),
            body: it.body.clone(),
            section: it.section.clone(),
            tags: it.tags.clone(),
            url: it.url.clone(),
            published: it.published.map(rfc3339),
            saved_at: rfc3339(it.saved_at),
            note: it.note.clone(),
            content_hash: it.content_hash.clone(),
            updated_since_saved: r.updated_since_saved(),
            removed: r.removed(),
        }
    }
}

/// A record read back: the copy, and warnings about optional fields that were dropped.
#[derive(Debug)]
pub struct Parsed {
    pub item: SavedItem,
    pub warnings: Vec<(String, String)>,
}

fn text(v: &Value, field: &str) -> Result<String, (String, String)> {
    match v.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err((field.into(), "missing or empty".into()))
        }
        Some(_) => Err((field.into(), "must be a string".into())),
    }
}

fn optional(v: &Value, field: &str, warnings: &mut Vec<(String, String)>) -> Option<String> {
    match v.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(_) => {
            warnings.push((field.into(), "not a string; dropped".into()));
            None
        }
    }
}

fn time(v: &Value, field: &str, warnings: &mut Vec<(String, String)>) -> Option<DateTime<Utc>> {
    let s = optional(v, field, warnings)?;
    match DateTime::parse_from_rfc3339(&s) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(e) => {
            warnings.push((field.into(), format!("not RFC 3339 ({e}); dropped")));
            None
        }
    }
}

/// Display text without overrides or unclosed direction controls ([`crate::ingest::bidi`]).
fn plain(s: impl AsRef<str>) -> String {
    crate::ingest::bidi::balance(s.as_ref()).into_owned()
}

/// Reads one JSON Lines record of the export; an error names the field at fault.
pub fn parse(line: &[u8]) -> Result<Parsed, (String, String)> {
    let v: Value = serde_json::from_slice(line).map_err(|e| ("json".into(), e.to_string()))?;
    if !v.is_object() {
        return Err(("json".into(), "expected an object".into()));
    }
    let schema = text(&v, "schema")?;
    if !schema.starts_with(SCHEMA) {
        return Err(("schema".into(), format!("{schema:?} is not {SCHEMA}")));
    }
    let source = text(&v, "source")?;
    let id = text(&v, "id")?;
    for (field, s) in [("source", &source), ("id", &id)] {
        if s.len() > MAX_KEY || s.chars().any(char::is_control) {
            return Err((field.into(), "too long or holds control characters".into()));
        }
        crate::ingest::bidi::check_identifier(field, s).map_err(|m| (field.to_string(), m))?;
    }
    let title = plain(text(&v, "title")?);
    let body: Vec<String> = match v.get("body") {
        Some(Value::Array(ps)) => ps
            .iter()
            .filter_map(Value::as_str)
            .flat_map(|p| p.split('\n'))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(plain)
            .collect(),
        Some(Value::String(s)) => s
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(plain)
            .collect(),
        _ => {
            return Err((
                "body".into(),
                "missing: expected an array of paragraphs".into(),
            ));
        }
    };
    if body.is_empty() {
        return Err(("body".into(), "no paragraph".into()));
    }
    let mut warnings = Vec::new();
    let subtitle = optional(&v, "subtitle", &mut warnings).map(plain);
    let section = optional(&v, "section", &mut warnings)
        .and_then(|s| crate::model::Section::parse(&s).map(|s| s.slug().to_string()));
    let tags = match v.get("tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(t) => match serde_json::from_value::<Vec<SavedTag>>(t.clone()) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(("tags".into(), format!("{e}; dropped")));
                Vec::new()
            }
        },
    };
    let url = optional(&v, "url", &mut warnings).and_then(|u| {
        crate::ingest::url::web_url(&u)
            .map_err(|m| warnings.push(("url".into(), format!("{m}; dropped"))))
            .ok()
    });
    let published = time(&v, "published", &mut warnings);
    let saved_at = time(&v, "saved_at", &mut warnings).unwrap_or_else(Utc::now);
    let note = optional(&v, "note", &mut warnings).and_then(|n| clean_note(&n));
    let content_hash = optional(&v, "content_hash", &mut warnings).unwrap_or_default();
    let terms = terms_of(&title, subtitle.as_deref(), &body);
    Ok(Parsed {
        item: SavedItem {
            source,
            id,
            title,
            subtitle,
            body,
            section,
            tags,
            url,
            published,
            content_hash,
            note,
            saved_at,
            terms,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_optional_field_is_a_warning_a_missing_title_an_error() {
        let ok = parse(
            br#"{"schema":"sahifa.saved/1","source":"s","id":"1","title":"t","body":["p"],"published":"yesterday","url":"javascript:x"}"#,
        )
        .expect("kept");
        assert_eq!(ok.item.published, None);
        assert_eq!(ok.item.url, None);
        assert_eq!(ok.warnings.len(), 2);
        let bad = parse(br#"{"schema":"sahifa.saved/1","source":"s","id":"1","body":["p"]}"#);
        assert_eq!(bad.err().map(|e| e.0), Some("title".to_string()));
        let other =
            parse(br#"{"schema":"other/1","source":"s","id":"1","title":"t","body":["p"]}"#);
        assert_eq!(other.err().map(|e| e.0), Some("schema".to_string()));
        assert!(parse(b"[1,2]").is_err());
        assert!(parse(b"\xff").is_err());
    }
}
