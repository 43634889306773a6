//! Understanding a batch before it is stored: section and tags for the articles that are new
//! or changed, on every core, and family names alone resolved to the people named in full.

use std::sync::{Mutex, MutexGuard};

use anyhow::Context;

use super::Newsroom;
use crate::model::Article;
use crate::understand::Understanding;
use crate::understand::people::People;

/// Locks the people registry; a panic elsewhere while it was held left nothing half-done
/// that matters (at worst one batch's counts), so a poisoned lock is used as it is.
pub(super) fn lock(people: &Mutex<Option<People>>) -> MutexGuard<'_, Option<People>> {
    people
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Understands the flagged articles of a batch on every core, then gives family names alone
/// (أردوغان) the person named in full elsewhere; `learn` counts this batch's people first.
pub(super) fn annotate_flagged(
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

impl Newsroom {
    /// Understands (section, tags) the articles of a batch that are new or changed since
    /// they were stored; the costly part of a batch, run on every core.
    pub(super) async fn annotate_batch(&self, batch: Vec<Article>) -> anyhow::Result<Vec<Article>> {
        if batch.is_empty() {
            return Ok(batch);
        }
        let keys: Vec<(&str, &str)> = batch
            .iter()
            .map(|a| (a.source.as_str(), a.id.as_str()))
            .collect();
        let known = self.store.stored_articles(&keys).await?;
        let changed: Vec<bool> = batch
            .iter()
            .map(|a| {
                known
                    .get(&(a.source.clone(), a.id.clone()))
                    .map(|s| &s.content_hash)
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
}
