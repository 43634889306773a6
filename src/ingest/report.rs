//! What one import run reports: counts, rejected records and warnings, each naming the file
//! and line (or feed entry) it came from.

use std::fmt;

use crate::store::Upsert;

/// Where a rejected record was: file, and line for line-based formats.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{}: {}", self.file, n, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// A bad optional field a parser or the pipeline dropped; the record itself is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldWarning {
    /// The field, as the input names it (`url`, `published`, …).
    pub field: &'static str,
    pub reason: String,
}

impl FieldWarning {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        FieldWarning {
            field,
            reason: reason.into(),
        }
    }
}

/// A field warning with the place of its record: `FILE:LINE: field: reason`, or
/// `FILE: entry N: field: reason` for feed entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: String,
    pub line: Option<usize>,
    /// The 1-based entry of a feed file (which has no useful line).
    pub entry: Option<usize>,
    pub field: &'static str,
    pub reason: String,
}

impl Warning {
    /// Places `w` at `file`, `line` or `entry`.
    pub fn at(file: &str, line: Option<usize>, entry: Option<usize>, w: FieldWarning) -> Self {
        Warning {
            file: file.to_string(),
            line,
            entry,
            field: w.field,
            reason: w.reason,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(n) = self.line {
            write!(f, ":{n}")?;
        }
        if let Some(n) = self.entry {
            write!(f, ": entry {n}")?;
        }
        write!(f, ": {}: {}", self.field, self.reason)
    }
}

/// Counts of one import run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// New articles stored.
    pub inserted: u64,
    /// Known articles whose content changed and were updated.
    pub updated: u64,
    pub unchanged: u64,
    pub rejections: Vec<Rejection>,
    /// Optional fields dropped from records that were kept.
    pub warnings: Vec<Warning>,
}

impl ImportReport {
    /// New plus updated: what the CLI reports as `imported`.
    pub fn imported(&self) -> u64 {
        self.inserted + self.updated
    }

    pub fn rejected(&self) -> u64 {
        self.rejections.len() as u64
    }

    /// Records a rejection, printing it to stderr when `echo`.
    pub fn reject(&mut self, r: Rejection, echo: bool) {
        if echo {
            eprintln!("{r}");
        }
        self.rejections.push(r);
    }

    /// Records warnings, printing them to stderr when `echo`.
    pub fn warn(&mut self, w: Vec<Warning>, echo: bool) {
        for w in w {
            if echo {
                eprintln!("{w}");
            }
            self.warnings.push(w);
        }
    }

    /// Counts what a stored batch did.
    pub fn add(&mut self, outcomes: &[Upsert]) {
        for o in outcomes {
            match o {
                Upsert::Inserted => self.inserted += 1,
                Upsert::Updated | Upsert::UpdatedWithdrawn => self.updated += 1,
                Upsert::Unchanged => self.unchanged += 1,
            }
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {}, unchanged {}, rejected {}, warnings {}",
            self.imported(),
            self.unchanged,
            self.rejected(),
            self.warnings.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_file_line_or_entry_and_field() {
        let w = |line, entry| Warning::at("a.jsonl", line, entry, FieldWarning::new("url", "bad"));
        assert_eq!(w(Some(3), None).to_string(), "a.jsonl:3: url: bad");
        assert_eq!(w(None, Some(2)).to_string(), "a.jsonl: entry 2: url: bad");
        let mut r = ImportReport::default();
        r.warn(vec![w(Some(1), None)], false);
        assert_eq!(
            r.to_string(),
            "imported 0, unchanged 0, rejected 0, warnings 1"
        );
    }
}
