//! Import of a JSON Lines export into a member's saved copies, read line by line from a
//! stream (memory does not grow with the file). Idempotent: a copy already there and equal
//! is left alone, a different one is replaced. A bad line is reported with its number and
//! field and does not stop the others; a bad optional field costs a warning.

use futures_util::{Stream, StreamExt};
use serde::Serialize;

use super::record;
use crate::store::{SavedItem, SavedWrite, Store};

/// Copies stored per transaction.
const BATCH: usize = 200;

/// Longest line accepted (one saved article).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;
/// Most problems listed in a report (the counts stay exact).
const MAX_LISTED: usize = 100;

/// One problem with a line of the import.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct LineProblem {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, utoipa::ToSchema)]
pub struct ImportReport {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub warnings: u64,
    /// Rejected lines (the first 100).
    pub errors: Vec<LineProblem>,
    /// Fields dropped from kept lines (the first 100).
    pub warned: Vec<LineProblem>,
}

impl ImportReport {
    fn problem(list: &mut Vec<LineProblem>, line: u64, (field, message): (String, String)) {
        if list.len() < MAX_LISTED {
            list.push(LineProblem {
                line,
                field,
                message,
            });
        }
    }

    /// Reads line `n`; a good record joins `batch`, which is stored when full.
    async fn line(
        &mut self,
        store: &Store,
        user_pk: i64,
        n: u64,
        bytes: &[u8],
        batch: &mut Vec<SavedItem>,
    ) -> anyhow::Result<()> {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        // A byte-order mark may open the file.
        let bytes = match n {
            1 => bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes),
            _ => bytes,
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        match record::parse(bytes) {
            Err(e) => {
                self.rejected += 1;
                Self::problem(&mut self.errors, n, e);
            }
            Ok(parsed) => {
                for w in parsed.warnings {
                    self.warnings += 1;
                    Self::problem(&mut self.warned, n, w);
                }
                batch.push(parsed.item);
                if batch.len() >= BATCH {
                    self.flush(store, user_pk, batch).await?;
                }
            }
        }
        Ok(())
    }

    async fn flush(
        &mut self,
        store: &Store,
        user_pk: i64,
        batch: &mut Vec<SavedItem>,
    ) -> anyhow::Result<()> {
        for w in store.import_copies(user_pk, batch).await? {
            match w {
                SavedWrite::Inserted => self.imported += 1,
                SavedWrite::Updated => self.updated += 1,
                SavedWrite::Unchanged => self.unchanged += 1,
            }
        }
        batch.clear();
        Ok(())
    }
}

/// Imports the JSON Lines in `body` for member `user_pk`. Errors only when the store fails
/// or the body cannot be read; bad lines are in the report.
pub async fn import<S, E>(store: &Store, user_pk: i64, body: S) -> anyhow::Result<ImportReport>
where
    S: Stream<Item = Result<axum::body::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut body = body;
    let mut report = ImportReport::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut n = 0u64;
    // A line too long to keep is skipped up to its end and rejected.
    let mut skipping = false;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| anyhow::anyhow!("reading the request body: {e}"))?;
        let mut rest: &[u8] = &chunk;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            n += 1;
            if skipping {
                skipping = false;
                report.rejected += 1;
                ImportReport::problem(&mut report.errors, n, ("line".into(), "too long".into()));
            } else {
                buf.extend_from_slice(&rest[..at]);
                report.line(store, user_pk, n, &buf, &mut batch).await?;
            }
            buf.clear();
            rest = &rest[at + 1..];
        }
        if !skipping {
            buf.extend_from_slice(rest);
            if buf.len() > MAX_LINE_BYTES {
                buf.clear();
                skipping = true;
            }
        }
    }
    n += 1;
    if skipping {
        report.rejected += 1;
        ImportReport::problem(&mut report.errors, n, ("line".into(), "too long".into()));
    } else {
        report.line(store, user_pk, n, &buf, &mut batch).await?;
    }
    report.flush(store, user_pk, &mut batch).await?;
    Ok(report)
}
