//! `sahifa import`: files read in batches on one thread while the previous batch is
//! understood and the one before stored, in input order.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;

use super::Newsroom;
use crate::ingest::{ImportReport, Item};
use crate::store::Upsert;

impl Newsroom {
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
                me.pipeline
                    .read_file(&path2, &source, show_progress, |items| {
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
        self.flush().await?;
        Ok(report)
    }
}
