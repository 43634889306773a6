//! `sahifa retag`: the section classifier and the tagger run again over every stored article
//! after an upgrade; what changed is stored (and logged) under the editor's rule.

use std::fmt;
use std::sync::{Arc, Mutex};

use anyhow::Context;

use super::Newsroom;
use super::annotate::annotate_flagged;
use crate::model::{Article, LabelOrigin, Tag};
use crate::understand::people::People;

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

impl Newsroom {
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
            let mut changed: Vec<(i64, Article)> = Vec::new();
            for ((row, _), new) in rows.into_iter().zip(fresh) {
                let old = &row.article;
                let section = (old.section, old.section_origin, old.section_confidence)
                    != (new.section, new.section_origin, new.section_confidence);
                let tags = !same_tags(&old.tags, &new.tags);
                report.articles += 1;
                report.sections += u64::from(section);
                report.tags += u64::from(tags);
                if section || tags {
                    changed.push((row.pk, new));
                }
            }
            let items: Vec<(i64, &Article)> = changed.iter().map(|(pk, a)| (*pk, a)).collect();
            self.store.set_model_labels(&items).await?;
            if let Some(search) = &self.search
                && !items.is_empty()
            {
                search.nudge();
            }
        }
        self.flush().await?;
        report.unused_tags = self.store.delete_unused_tags().await?;
        Ok(report)
    }
}
