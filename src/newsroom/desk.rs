//! The editor's desk: an article written or edited at the desk is prepared by the same
//! pipeline as imports, stored with the editor's section and tags and its status in one
//! transaction; publishing, withdrawing and label corrections of any article likewise.

use super::Newsroom;
use crate::ingest::Incoming;
use crate::model::{Section, Tag};

/// The source name of articles written at the desk.
pub const DESK_SOURCE: &str = "desk";

/// Whether an article is shown to readers (and searchable) or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    Published,
    Draft,
}

impl Publish {
    /// The stored status.
    pub fn as_str(self) -> &'static str {
        match self {
            Publish::Published => "published",
            Publish::Draft => "draft",
        }
    }
}

/// An article as the desk's form gives it.
#[derive(Debug, Clone)]
pub struct DeskArticle {
    pub title: String,
    pub subtitle: String,
    pub body: String,
    pub section: Option<Section>,
    pub tags: Vec<Tag>,
    pub publish: Publish,
}

impl Newsroom {
    /// Stores the desk article `id`: `Ok(Err(reason))` when the pipeline refuses it (no
    /// title, empty body), and nothing is stored then.
    pub async fn save_desk(
        &self,
        id: &str,
        draft: &DeskArticle,
    ) -> anyhow::Result<Result<(), String>> {
        let incoming = Incoming {
            id: Some(id.to_string()),
            source: Some(DESK_SOURCE.into()),
            title: Some(draft.title.clone()),
            subtitle: Some(draft.subtitle.clone()).filter(|s| !s.trim().is_empty()),
            body: draft.body.clone(),
            category: draft.section.map(|s| s.slug().to_string()),
            ..Incoming::default()
        };
        let article = match self.pipeline.prepare(incoming, DESK_SOURCE) {
            Ok(a) => a,
            Err(reason) => return Ok(Err(reason)),
        };
        let mut batch = self.annotate_batch(vec![article]).await?;
        let mut w = self.store.write_articles().await?;
        // The status goes in with the row: a draft is never stored as published first.
        w.upsert_as(&mut batch, Some(draft.publish.as_str()))
            .await?;
        w.set_labels_by_person(DESK_SOURCE, id, draft.section, &draft.tags)
            .await?;
        w.commit().await?;
        self.flush().await?;
        Ok(Ok(()))
    }

    /// Publishes or withdraws an article; false when there is none.
    pub async fn set_status(
        &self,
        source: &str,
        id: &str,
        publish: Publish,
    ) -> anyhow::Result<bool> {
        let found = self.store.set_status(source, id, publish.as_str()).await?;
        if found {
            self.flush().await?;
        }
        Ok(found)
    }

    /// Sets the section and tags an editor chose for any article (marked as set by a
    /// person, so no import or retag replaces them); false when there is no such article.
    pub async fn set_labels(
        &self,
        source: &str,
        id: &str,
        section: Option<Section>,
        tags: &[Tag],
    ) -> anyhow::Result<bool> {
        let found = self
            .store
            .set_labels_by_person(source, id, section, tags)
            .await?;
        if found {
            self.flush().await?;
        }
        Ok(found)
    }
}
