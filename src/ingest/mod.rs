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
mod record;
pub mod report;
pub mod sources;
pub mod url;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use crate::model::Article;
use boilerplate::Boilerplate;
pub use record::{prepare, prepare_checked};
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
