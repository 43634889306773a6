//! The one ingestion pipeline every entry point goes through (CLI import, demo loader,
//! editor's desk, later the feed poller): parse -> clean -> find title -> strip boilerplate
//! -> identify. `src/newsroom/` then skips what is unchanged, understands, and stores.

pub mod bidi;
pub mod boilerplate;
pub mod charset;
pub mod clean;
pub mod dates;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod jsonl;
pub mod poll;
pub mod raw_text;
pub mod report;
pub mod sources;
pub mod url;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use crate::model::{Article, LabelOrigin, Section, derive_id};
use boilerplate::Boilerplate;
pub use report::{FieldWarning, ImportReport, Rejection, Warning};

/// An article as a parser delivers it, before cleaning and identification.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incoming {
    pub id: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// Paragraphs separated by newlines.
    pub body: String,
    pub category: Option<String>,
    pub url: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// Optional fields the parser could not read and dropped (the record is kept).
    pub warnings: Vec<FieldWarning>,
}

/// The kinds of input file `import` understands, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Text,
    Html,
    JsonLines,
    Feed,
}

impl FileKind {
    fn of(lower_name: &str) -> Option<FileKind> {
        let ends = |exts: &[&str]| exts.iter().any(|e| lower_name.ends_with(e));
        if ends(&[".txt"]) {
            Some(FileKind::Text)
        } else if ends(&[".html", ".htm", ".xhtml"]) {
            Some(FileKind::Html)
        } else if ends(&[".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"]) {
            Some(FileKind::JsonLines)
        } else if ends(&[".xml", ".rss", ".atom", ".json"]) {
            Some(FileKind::Feed)
        } else {
            None
        }
    }
}

/// Articles per store transaction.
pub const BATCH: usize = 500;

/// The reading half of ingestion: files and records in, prepared articles out (what
/// `src/newsroom/` then understands and stores).
#[derive(Clone)]
pub struct Pipeline {
    boilerplate: Arc<Boilerplate>,
}

/// What the reader thread sends: prepared articles (with the warnings about fields they
/// lost) or rejections, in input order.
pub type Item = Result<(Article, Vec<Warning>), Rejection>;

impl Pipeline {
    pub fn new(boilerplate: Arc<Boilerplate>) -> Self {
        Pipeline { boilerplate }
    }

    /// The boilerplate phrases this pipeline strips.
    pub fn boilerplate(&self) -> &Boilerplate {
        &self.boilerplate
    }

    /// Cleans and identifies one incoming record. `default_source` names records that
    /// carry no source.
    pub fn prepare(&self, inc: Incoming, default_source: &str) -> Result<Article, String> {
        prepare(inc, default_source, &self.boilerplate)
    }

    /// [`Pipeline::prepare`], also giving the warnings about optional fields dropped.
    pub fn prepare_checked(
        &self,
        inc: Incoming,
        default_source: &str,
    ) -> Result<(Article, Vec<FieldWarning>), String> {
        prepare_checked(inc, default_source, &self.boilerplate)
    }

    /// Reads one file in batches, calling `emit` for each; a file-level failure (unreadable,
    /// unsupported) is returned as a rejection.
    pub fn read_file(
        &self,
        path: &Path,
        source: &str,
        progress: bool,
        mut emit: impl FnMut(Vec<Item>) -> bool,
    ) -> Result<(), Rejection> {
        let name = path.display().to_string();
        let reject = |line: Option<usize>, reason: String| Rejection {
            file: name.clone(),
            line,
            reason,
        };
        let place = |line: Option<usize>, entry: Option<usize>| {
            let name = name.clone();
            move |(a, w): (Article, Vec<FieldWarning>)| {
                let w = w.into_iter().map(|w| Warning::at(&name, line, entry, w));
                (a, w.collect())
            }
        };
        let lower = name.to_lowercase();
        let file =
            std::fs::File::open(path).map_err(|e| reject(None, format!("cannot open: {e}")))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let bar = if progress {
            let bar = ProgressBar::new(size);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(name.clone());
            bar
        } else {
            ProgressBar::hidden()
        };
        let counted = bar.wrap_read(file);
        let whole =
            |counted: indicatif::ProgressBarIter<std::fs::File>| -> Result<Vec<u8>, Rejection> {
                let mut bytes = Vec::new();
                counted
                    .take(64 * 1024 * 1024)
                    .read_to_end(&mut bytes)
                    .map_err(|e| reject(None, format!("cannot read: {e}")))?;
                Ok(bytes)
            };
        let kind = FileKind::of(&lower);
        let result = if let Some(kind @ (FileKind::Text | FileKind::Html)) = kind {
            let bytes = whole(counted)?;
            let url = None;
            let text = match kind {
                FileKind::Html => Ok(charset::decode(&bytes, None)),
                _ => clean::decode(&bytes),
            };
            let item = text
                .and_then(|text| match kind {
                    FileKind::Html => html::extract_page(&text, url),
                    _ => raw_text::parse(&text, &self.boilerplate).map(|raw| Incoming {
                        title: Some(raw.title),
                        subtitle: raw.subtitle,
                        body: raw.body.join("\n"),
                        ..Incoming::default()
                    }),
                })
                .and_then(|inc| self.prepare_checked(inc, source))
                .map(place(None, None))
                .map_err(|reason| reject(None, reason));
            emit(vec![item]);
            Ok(())
        } else if kind == Some(FileKind::Feed) {
            let bytes = whole(counted)?;
            let text = charset::decode(&bytes, None);
            let entries = feed::parse(text.as_bytes()).map_err(|reason| reject(None, reason))?;
            let items = entries
                .into_iter()
                .enumerate()
                .map(|(i, entry)| {
                    entry
                        .and_then(|inc| self.prepare_checked(inc, source))
                        .map(place(None, Some(i + 1)))
                        .map_err(|reason| reject(None, format!("entry {}: {reason}", i + 1)))
                })
                .collect();
            emit(items);
            Ok(())
        } else if lower.ends_with(".jsonl")
            || lower.ends_with(".ndjson")
            || lower.ends_with(".jsonl.gz")
            || lower.ends_with(".ndjson.gz")
        {
            let reader: Box<dyn BufRead> = if lower.ends_with(".gz") {
                Box::new(BufReader::with_capacity(
                    256 * 1024,
                    flate2::read::MultiGzDecoder::new(counted),
                ))
            } else {
                Box::new(BufReader::with_capacity(256 * 1024, counted))
            };
            let mut items = Vec::with_capacity(BATCH);
            for line in jsonl::LineReader::new(reader, jsonl::MAX_LINE_BYTES) {
                let (n, bytes) = line.map_err(|e| reject(None, format!("read error: {e}")))?;
                let item = match bytes {
                    Err(reason) => Err(reason),
                    Ok(b) if b.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(b) => jsonl::parse_record(&b)
                        .and_then(|inc| self.prepare_checked(inc, source))
                        .map(place(Some(n), None)),
                };
                items.push(item.map_err(|reason| reject(Some(n), reason)));
                if items.len() >= BATCH
                    && !emit(std::mem::replace(&mut items, Vec::with_capacity(BATCH)))
                {
                    return Ok(());
                }
            }
            emit(items);
            Ok(())
        } else {
            Err(reject(
                None,
                "unsupported file type: expected .txt, .html, .jsonl, .jsonl.gz, or a feed (.xml, .rss, .atom, .json)".into(),
            ))
        };
        bar.finish_and_clear();
        result
    }
}

/// Cleans and identifies one record (see [`Pipeline::prepare`]); warnings are dropped.
pub fn prepare(
    inc: Incoming,
    default_source: &str,
    boilerplate: &Boilerplate,
) -> Result<Article, String> {
    prepare_checked(inc, default_source, boilerplate).map(|(a, _)| a)
}

/// Cleans and identifies one record, giving the warnings about the optional fields the
/// parser or this step dropped (a source link that is not `http(s)`, …).
pub fn prepare_checked(
    inc: Incoming,
    default_source: &str,
    boilerplate: &Boilerplate,
) -> Result<(Article, Vec<FieldWarning>), String> {
    let mut warnings = inc.warnings;
    let mut body: Vec<String> = clean::paragraphs(&inc.body)
        .into_iter()
        .filter(|p| !boilerplate.is_boilerplate(p))
        .collect();
    let mut title = inc
        .title
        .as_deref()
        .map(clean::clean_line)
        .unwrap_or_default();
    let subtitle = inc
        .subtitle
        .as_deref()
        .map(clean::clean_line)
        .filter(|s| !s.is_empty());
    // A record without a title may open its body with one.
    if title.is_empty() && body.len() > 1 {
        let first = &body[0];
        if first.split_whitespace().count() <= 25 && !first.ends_with(['.', '،', ':']) {
            title = body.remove(0);
        }
    }
    let mut title_made = false;
    if title.is_empty() {
        // Nothing valid is lost: an article whose title is missing gets one made of the
        // first words of its body, with a warning, and keeps its whole body.
        match body.first().map(|p| clean::title_from_body(p)) {
            Some(made) if !made.is_empty() => {
                title = made;
                title_made = true;
                warnings.push(FieldWarning::new(
                    "title",
                    "empty: a title was made from the first words of the body",
                ));
            }
            _ => return Err("empty body: field `body` has no text".into()),
        }
    }
    if !title_made {
        body.retain(|p| *p != title);
    }
    if body.is_empty() {
        return Err("empty body: field `body` has no text".into());
    }
    let source = inc
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(default_source)
        .to_string();
    if source.len() > 200 || source.chars().any(char::is_control) {
        return Err(format!(
            "field `source`: {source:?} is not a usable source name"
        ));
    }
    bidi::check_identifier("source", &source)?;
    let id = match inc.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if id.len() > 500 => return Err("field `id`: longer than 500 bytes".into()),
        Some(id) => {
            bidi::check_identifier("id", id)?;
            id.to_string()
        }
        None => derive_id(&title, &body),
    };
    let section = match inc
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => Section::parse(c),
    };
    let url = match inc.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => match url::web_url(u) {
            Ok(u) => Some(u),
            Err(reason) => {
                warnings.push(FieldWarning::new("url", format!("dropped: {reason}")));
                None
            }
        },
    };
    let language = clean::guess_language(&body.join(" ")).to_string();
    let mut article = Article {
        source,
        id,
        title,
        subtitle,
        body,
        section,
        section_confidence: section.map(|_| 1.0),
        section_origin: LabelOrigin::Source,
        tags: Vec::new(),
        url,
        published: inc.published,
        imported: Utc::now(),
        language,
        content_hash: String::new(),
    };
    article.content_hash = article.compute_hash();
    Ok((article, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_without_a_title_keeps_its_body_and_gets_a_made_title_with_a_warning() {
        let inc = Incoming {
            title: Some("  ".into()),
            body: "أكد المدير الجهوي للحماية المدنية بصفاقس أنه لم تسجل وضعيات خطرة جراء الامطار الغزيرة، موضحا أن التدخلات اقتصرت على شفط المياه.".into(),
            ..Incoming::default()
        };
        let (a, warnings) = prepare_checked(inc, "s", &Boilerplate::default()).expect("kept");
        assert_eq!(
            a.title,
            "أكد المدير الجهوي للحماية المدنية بصفاقس أنه لم تسجل وضعيات خطرة جراء…"
        );
        assert_eq!(a.body.len(), 1, "the body is kept whole");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].field, "title");
    }

    #[test]
    fn prepare_derives_ids_and_rejects_empty() {
        let b = Boilerplate::default();
        let inc = Incoming {
            title: Some("عنوان".into()),
            body: "فقرة أولى\n\nفقرة ثانية\nاقرأ أيضاً".into(),
            ..Incoming::default()
        };
        let a = prepare(inc.clone(), "local", &b).expect("valid");
        assert_eq!(a.source, "local");
        assert_eq!(a.body, vec!["فقرة أولى", "فقرة ثانية"]);
        assert_eq!(a.id, prepare(inc, "local", &b).expect("valid").id);
        let empty = Incoming {
            title: Some("t".into()),
            body: " \n ".into(),
            ..Incoming::default()
        };
        assert!(
            prepare(empty, "local", &b)
                .unwrap_err()
                .contains("empty body")
        );
    }

    #[test]
    fn unknown_category_is_left_unclassified() {
        let inc = Incoming {
            title: Some("t".into()),
            body: "b".into(),
            category: Some("weather".into()),
            ..Incoming::default()
        };
        assert_eq!(
            prepare(inc, "s", &Boilerplate::default())
                .expect("valid")
                .section,
            None
        );
    }
}
