//! Exports of a member's saved copies: JSON Lines (one [`SavedRecord`] a line), Markdown
//! (front matter per item) and one self-contained right-to-left HTML file. Each is a stream
//! that reads the copies from the store a page at a time, so memory stays flat however many
//! there are.

use askama::Template;
use axum::body::Bytes;
use futures_util::Stream;

use super::record::{SavedRecord, rfc3339};
use crate::store::{SavedRow, Store};

/// Copies read from the store per page of the export.
const PAGE: i64 = 200;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Markdown,
    Html,
}

impl Format {
    /// Parses `jsonl`, `md` (or `markdown`) and `html`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim() {
            "jsonl" | "json" | "" => Some(Format::Jsonl),
            "md" | "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Html => "text/html; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

#[derive(Template)]
#[template(path = "saved/export_head.html")]
struct Head {
    count: i64,
    exported: String,
}

#[derive(Template)]
#[template(path = "saved/export_item.html")]
struct ItemHtml<'a> {
    r: &'a SavedRecord,
    section: Option<&'static str>,
}

const HTML_FOOT: &str = "</main>\n</body>\n</html>\n";

/// `s` as a double-quoted YAML scalar (a JSON string is one).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Text made inert for Markdown: characters that could start markup are escaped.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '{' | '}' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(r: &SavedRecord, out: &mut String) {
    out.push_str("---\n");
    let mut field = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            out.push_str(&format!("{k}: {}\n", yaml(v)));
        }
    };
    field("schema", Some(r.schema));
    field("source", Some(&r.source));
    field("id", Some(&r.id));
    field("title", Some(&r.title));
    field("subtitle", r.subtitle.as_deref());
    field("section", r.section.as_deref());
    field("url", r.url.as_deref());
    field("published", r.published.as_deref());
    field("saved_at", Some(&r.saved_at));
    field("note", r.note.as_deref());
    field("content_hash", Some(&r.content_hash));
    let tags: Vec<String> = r.tags.iter().map(|t| yaml(&t.name)).collect();
    out.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    out.push_str(&format!(
        "removed: {}\nupdated_since_saved: {}\n---\n\n",
        r.removed, r.updated_since_saved
    ));
    out.push_str(&format!("# {}\n\n", md_text(&r.title)));
    if let Some(sub) = &r.subtitle {
        out.push_str(&format!("**{}**\n\n", md_text(sub)));
    }
    for p in &r.body {
        out.push_str(&md_text(p));
        out.push_str("\n\n");
    }
}

fn render(format: Format, rows: &[SavedRow]) -> anyhow::Result<String> {
    let mut out = String::new();
    for row in rows {
        let r = SavedRecord::from(row);
        match format {
            Format::Jsonl => {
                out.push_str(&serde_json::to_string(&r)?);
                out.push('\n');
            }
            Format::Markdown => markdown(&r, &mut out),
            Format::Html => {
                let section = r
                    .section
                    .as_deref()
                    .and_then(crate::model::Section::parse)
                    .map(|s| s.name_ar());
                out.push_str(&ItemHtml { r: &r, section }.render()?);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

enum Step {
    Head,
    Rows(Option<(i64, i64)>),
    Foot,
    Done,
}

/// The export of member `user_pk`'s copies, newest saved first, as a stream of chunks.
pub fn stream(
    store: Store,
    user_pk: i64,
    format: Format,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let io = |e: anyhow::Error| std::io::Error::other(format!("{e:#}"));
    futures_util::stream::try_unfold(Step::Head, move |step| {
        let store = store.clone();
        async move {
            match step {
                Step::Head if format == Format::Html => {
                    let count = store.saved_count(user_pk).await.map_err(io)?;
                    let head = Head {
                        count,
                        exported: rfc3339(chrono::Utc::now()),
                    }
                    .render()
                    .map_err(|e| io(e.into()))?;
                    Ok(Some((Bytes::from(head), Step::Rows(None))))
                }
                Step::Head => Ok(Some((Bytes::new(), Step::Rows(None)))),
                Step::Rows(after) => {
                    let rows = store.saved_page(user_pk, after, PAGE).await.map_err(io)?;
                    let next = match rows.last() {
                        Some(last) if rows.len() as i64 == PAGE => {
                            Step::Rows(Some((last.item.saved_at.timestamp_millis(), last.pk)))
                        }
                        _ => Step::Foot,
                    };
                    let chunk = render(format, &rows).map_err(io)?;
                    Ok(Some((Bytes::from(chunk), next)))
                }
                Step::Foot if format == Format::Html => {
                    Ok(Some((Bytes::from_static(HTML_FOOT.as_bytes()), Step::Done)))
                }
                Step::Foot | Step::Done => Ok(None),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_cannot_open_markup() {
        assert_eq!(md_text("# عنوان <b>"), "\\# عنوان \\<b\\>");
        assert_eq!(yaml("قال: \"نعم\"\n"), "\"قال: \\\"نعم\\\"\\n\"");
    }
}
