//! The one ingestion pipeline every entry point goes through (CLI import, demo loader,
//! editor's desk, later the feed poller): parse -> clean -> find title -> strip boilerplate
//! -> identify -> skip unchanged -> understand -> store -> index.

pub mod boilerplate;
pub mod charset;
pub mod clean;
pub mod dates;
pub mod feed;
pub mod fetch;
pub mod html;
pub mod jsonl;
pub mod raw_text;
pub mod report;
pub mod url;

use std::fmt;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::Context;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use crate::model::{Article, LabelOrigin, Section, Tag, derive_id};
use crate::search::{Held, SearchIndex};
use crate::store::{Store, Upsert};
use crate::understand::Understanding;
use crate::understand::people::People;
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
const BATCH: usize = 500;

/// The pipeline with everything it writes to.
#[derive(Clone)]
pub struct Pipeline {
    store: Store,
    boilerplate: Arc<Boilerplate>,
    understanding: Arc<Understanding>,
    search: Option<SearchIndex>,
    /// People known by full name, read from the store before the first batch.
    people: Arc<Mutex<Option<People>>>,
}

/// Locks the people registry; a panic elsewhere while it was held left nothing half-done
/// that matters (at worst one batch's counts), so a poisoned lock is used as it is.
fn lock(people: &Mutex<Option<People>>) -> MutexGuard<'_, Option<People>> {
    people
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Understands the flagged articles of a batch on every core, then gives family names alone
/// (أردوغان) the person named in full elsewhere; `learn` counts this batch's people first.
fn annotate_flagged(
    understanding: &Understanding,
    people: &Mutex<Option<People>>,
    batch: &mut [Article],
    flags: &[bool],
    learn: bool,
) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = batch.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for (articles, flags) in batch.chunks_mut(per).zip(flags.chunks(per)) {
            scope.spawn(move || {
                for (a, flagged) in articles.iter_mut().zip(flags) {
                    if *flagged {
                        understanding.annotate(a);
                    }
                }
            });
        }
    });
    if let Some(people) = lock(people).as_mut() {
        if learn {
            for (a, _) in batch.iter().zip(flags).filter(|(_, f)| **f) {
                people.learn(&a.tags);
            }
        }
        for (a, flagged) in batch.iter_mut().zip(flags) {
            if *flagged {
                people.resolve(&mut a.tags);
            }
        }
    }
}

/// Whether two tag lists link the same tags with the same origins and scores, in any order
/// (names and kinds are the tag's, kept where it was first created, so they do not count).
fn same_tags(a: &[Tag], b: &[Tag]) -> bool {
    let key = |tags: &[Tag]| {
        let mut k: Vec<(String, &'static str, u32)> = tags
            .iter()
            .map(|t| (t.slug.clone(), t.origin.as_str(), t.score.to_bits()))
            .collect();
        k.sort_unstable();
        k
    };
    key(a) == key(b)
}

/// What `sahifa retag` did: articles read, how many got a new section or new tags, and how
/// many tags no article carries any more were deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RetagReport {
    pub articles: u64,
    pub sections: u64,
    pub tags: u64,
    pub unused_tags: u64,
}

impl fmt::Display for RetagReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "retagged {} articles: {} new sections, {} new tag lists, {} unused tags deleted",
            self.articles, self.sections, self.tags, self.unused_tags
        )
    }
}

/// What the reader thread sends: prepared articles (with the warnings about fields they
/// lost) or rejections, in input order.
type Item = Result<(Article, Vec<Warning>), Rejection>;

impl Pipeline {
    pub fn new(
        store: Store,
        boilerplate: Arc<Boilerplate>,
        understanding: Arc<Understanding>,
        search: Option<SearchIndex>,
    ) -> Self {
        Pipeline {
            store,
            boilerplate,
            understanding,
            search,
            people: Arc::new(Mutex::new(None)),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
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

    /// Stores prepared articles: unchanged ones are skipped; new and changed ones are
    /// understood (section, tags), stored in one transaction and indexed.
    pub async fn store_batch(&self, batch: Vec<Article>) -> anyhow::Result<Vec<Upsert>> {
        let batch = self.annotate_batch(batch).await?;
        self.save_batch(batch).await
    }

    /// Understands (section, tags) the articles of a batch that are new or changed since
    /// they were stored; the costly part of a batch, run on every core.
    async fn annotate_batch(&self, batch: Vec<Article>) -> anyhow::Result<Vec<Article>> {
        if batch.is_empty() {
            return Ok(batch);
        }
        let keys: Vec<(&str, &str)> = batch
            .iter()
            .map(|a| (a.source.as_str(), a.id.as_str()))
            .collect();
        let known = self.store.content_hashes(&keys).await?;
        let changed: Vec<bool> = batch
            .iter()
            .map(|a| {
                known.get(&(a.source.clone(), a.id.clone())).map(|(_, h)| h)
                    != Some(&a.content_hash)
            })
            .collect();
        self.know_people().await?;
        let understanding = self.understanding.clone();
        let people = self.people.clone();
        tokio::task::spawn_blocking(move || {
            let mut batch = batch;
            annotate_flagged(&understanding, &people, &mut batch, &changed, true);
            batch
        })
        .await
        .context("annotating articles")
    }

    /// Reads the people the store knows by full name, once.
    async fn know_people(&self) -> anyhow::Result<()> {
        if lock(&self.people).is_none() {
            let rows = self.store.people().await.context("reading known people")?;
            *lock(&self.people) = Some(People::from_rows(rows));
        }
        Ok(())
    }

    /// Runs the section classifier and the tagger again over every stored article, after an
    /// upgrade of either: sections the model gave and tags no editor set are recomputed,
    /// changed ones stored and re-indexed. Sections from a source or an editor, and tags an
    /// editor set, stay as they are.
    pub async fn retag(&self) -> anyhow::Result<RetagReport> {
        // People are learned afresh as the run goes, as an import into an empty store
        // would: the stored person tags are the old model's, run-on names included.
        let people = Arc::new(Mutex::new(Some(People::default())));
        let mut report = RetagReport::default();
        let mut after = 0;
        loop {
            let rows = self.store.scan_all(after, 500).await?;
            let Some((last, _)) = rows.last() else {
                break;
            };
            after = last.pk;
            let fresh: Vec<Article> = rows
                .iter()
                .map(|(r, _)| {
                    let mut a = r.article.clone();
                    if a.section_origin == LabelOrigin::Model {
                        a.section = None;
                        a.section_confidence = None;
                        a.section_origin = LabelOrigin::Source;
                    }
                    a
                })
                .collect();
            let understanding = self.understanding.clone();
            let people = people.clone();
            let fresh = tokio::task::spawn_blocking(move || {
                let mut fresh = fresh;
                let all = vec![true; fresh.len()];
                annotate_flagged(&understanding, &people, &mut fresh, &all, true);
                fresh
            })
            .await
            .context("annotating articles")?;
            let mut changed: Vec<(i64, Article, bool)> = Vec::new();
            for ((row, published), new) in rows.into_iter().zip(fresh) {
                let old = &row.article;
                let section = (old.section, old.section_origin, old.section_confidence)
                    != (new.section, new.section_origin, new.section_confidence);
                let tags = !same_tags(&old.tags, &new.tags);
                report.articles += 1;
                report.sections += u64::from(section);
                report.tags += u64::from(tags);
                if section || tags {
                    changed.push((row.pk, new, published));
                }
            }
            let items: Vec<(i64, &Article)> = changed.iter().map(|(pk, a, _)| (*pk, a)).collect();
            self.store.set_model_labels(&items).await?;
            if let Some(search) = &self.search {
                let published: Vec<Article> = changed
                    .into_iter()
                    .filter(|(_, _, p)| *p)
                    .map(|(_, a, _)| a)
                    .collect();
                if !published.is_empty() {
                    search
                        .index_articles(published, Held::Maybe)
                        .await
                        .context("indexing articles")?;
                }
            }
        }
        self.commit_search().await?;
        report.unused_tags = self.store.delete_unused_tags().await?;
        Ok(report)
    }

    /// Stores annotated articles in one transaction and indexes the new and changed ones.
    async fn save_batch(&self, mut batch: Vec<Article>) -> anyhow::Result<Vec<Upsert>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let outcomes = self.store.upsert_articles(&mut batch).await?;
        if let Some(search) = &self.search {
            // New articles first: a later duplicate of one in the same batch is an update,
            // which replaces it.
            let (mut new, mut changed) = (Vec::new(), Vec::new());
            for (a, o) in batch.into_iter().zip(&outcomes) {
                match o {
                    Upsert::Inserted => new.push(a),
                    Upsert::Updated => changed.push(a),
                    Upsert::UpdatedWithdrawn | Upsert::Unchanged => {}
                }
            }
            for (articles, held) in [(new, Held::No), (changed, Held::Maybe)] {
                if !articles.is_empty() {
                    search
                        .index_articles(articles, held)
                        .await
                        .context("indexing articles")?;
                }
            }
        }
        Ok(outcomes)
    }

    /// Makes everything indexed so far visible to searches.
    async fn commit_search(&self) -> anyhow::Result<()> {
        if let Some(search) = &self.search {
            search
                .commit()
                .await
                .context("committing the search index")?;
        }
        Ok(())
    }

    /// Ingests records held in memory (demo content, the editor's desk); `origin` names them
    /// in rejections.
    pub async fn ingest_records(
        &self,
        records: Vec<Incoming>,
        default_source: &str,
        origin: &str,
    ) -> anyhow::Result<ImportReport> {
        let mut report = ImportReport::default();
        let mut articles = Vec::with_capacity(records.len());
        for (i, inc) in records.into_iter().enumerate() {
            match self.prepare_checked(inc, default_source) {
                Ok((a, warnings)) => {
                    let place = |w| Warning::at(origin, Some(i + 1), None, w);
                    report.warn(warnings.into_iter().map(place).collect(), false);
                    articles.push(a);
                }
                Err(reason) => report.rejections.push(Rejection {
                    file: origin.to_string(),
                    line: Some(i + 1),
                    reason,
                }),
            }
        }
        for chunk in articles.chunks(BATCH) {
            let outcomes = self.store_batch(chunk.to_vec()).await?;
            report.add(&outcomes);
        }
        self.commit_search().await?;
        Ok(report)
    }

    /// Imports files (`.txt`, `.html`, `.jsonl`, `.jsonl.gz`, feeds); valid records are kept whatever else
    /// fails. Rejections are returned, and also printed to stderr when `echo_rejections`.
    pub async fn import_paths(
        &self,
        paths: &[PathBuf],
        default_source: &str,
        echo_rejections: bool,
    ) -> anyhow::Result<ImportReport> {
        let mut report = ImportReport::default();
        let show_progress = std::io::stdout().is_terminal();
        for path in paths {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Item>>(4);
            let me = self.clone();
            let path2 = path.clone();
            let source = default_source.to_string();
            let reader = tokio::task::spawn_blocking(move || {
                me.read_file(&path2, &source, show_progress, |items| {
                    tx.blocking_send(items).is_ok()
                })
            });
            // Two batches in flight: while one is stored and indexed, the next is
            // understood (the costly part), so the cores are not idle during the store's
            // writes. Batches are still stored in input order.
            let mut saving: Option<tokio::task::JoinHandle<anyhow::Result<Vec<Upsert>>>> = None;
            while let Some(items) = rx.recv().await {
                let mut articles = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Ok((a, warnings)) => {
                            report.warn(warnings, echo_rejections);
                            articles.push(a);
                        }
                        Err(r) => report.reject(r, echo_rejections),
                    }
                }
                let annotated = self.annotate_batch(articles).await;
                if let Some(previous) = saving.take() {
                    report.add(&previous.await.context("storing a batch")??);
                }
                let annotated = annotated?;
                let me = self.clone();
                saving = Some(tokio::spawn(async move { me.save_batch(annotated).await }));
            }
            if let Some(previous) = saving {
                report.add(&previous.await.context("storing a batch")??);
            }
            if let Err(r) = reader.await.context("reading input")? {
                report.reject(r, echo_rejections);
            }
        }
        self.commit_search().await?;
        Ok(report)
    }

    /// Reads one file in batches, calling `emit` for each; a file-level failure (unreadable,
    /// unsupported) is returned as a rejection.
    fn read_file(
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
    if title.is_empty() {
        return Err(
            "no title: field `title` is empty and the body does not open with a headline".into(),
        );
    }
    body.retain(|p| *p != title);
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
    let id = match inc.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if id.len() > 500 => return Err("field `id`: longer than 500 bytes".into()),
        Some(id) => id.to_string(),
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
