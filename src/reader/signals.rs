//! Signals: what a member did with an article (opened it, read it through, saved it, asked
//! for more or less like it, hid its source), stored per member with their time.

use serde::Serialize;

use super::{Reader, ReaderError};
use crate::store::NewSignal;

/// The kinds of signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignalKind {
    Open,
    Read,
    Save,
    More,
    Less,
    Hide,
}

impl SignalKind {
    pub const ALL: [SignalKind; 6] = [
        SignalKind::Open,
        SignalKind::Read,
        SignalKind::Save,
        SignalKind::More,
        SignalKind::Less,
        SignalKind::Hide,
    ];

    /// The name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::Open => "open",
            SignalKind::Read => "read",
            SignalKind::Save => "save",
            SignalKind::More => "more",
            SignalKind::Less => "less",
            SignalKind::Hide => "hide",
        }
    }

    pub fn parse(s: &str) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What "more / less like this" is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    Tag,
    Section,
    Source,
}

impl Axis {
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Tag => "tag",
            Axis::Section => "section",
            Axis::Source => "source",
        }
    }

    pub fn parse(s: &str) -> Option<Axis> {
        match s {
            "tag" => Some(Axis::Tag),
            "section" => Some(Axis::Section),
            "source" => Some(Axis::Source),
            _ => None,
        }
    }
}

/// A signal as a client sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: SignalKind,
    pub source: String,
    pub id: String,
    pub axis: Option<Axis>,
    /// The tag slug, section id or source name the axis names; taken from the article
    /// (its best tag, its section, its source) when absent.
    pub value: Option<String>,
}

impl Reader {
    /// Records a signal of a member on a published article.
    pub async fn record(&self, user_pk: i64, e: &Event) -> Result<(), ReaderError> {
        let article =
            self.store.article(&e.source, &e.id).await?.ok_or_else(|| {
                ReaderError::NotFound(format!("no article {}/{}", e.source, e.id))
            })?;
        // Hiding is always about the source.
        let axis = match e.kind {
            SignalKind::Hide => Some(Axis::Source),
            _ => e.axis,
        };
        let value = match (axis, e.value.as_deref()) {
            (None, _) => None,
            (Some(Axis::Source), _) => Some(article.source.clone()),
            (Some(Axis::Section), Some(v)) => Some(
                crate::model::Section::parse(v)
                    .ok_or_else(|| ReaderError::Invalid(format!("unknown section {v:?}")))?
                    .slug()
                    .to_string(),
            ),
            (Some(Axis::Section), None) => Some(
                article
                    .section
                    .ok_or_else(|| ReaderError::Invalid("the article has no section".into()))?
                    .slug()
                    .to_string(),
            ),
            (Some(Axis::Tag), Some(v)) => {
                if !article.tags.iter().any(|t| t.slug == v) {
                    return Err(ReaderError::Invalid(format!(
                        "the article has no tag {v:?}"
                    )));
                }
                Some(v.to_string())
            }
            (Some(Axis::Tag), None) => Some(
                article
                    .tags
                    .first()
                    .ok_or_else(|| ReaderError::Invalid("the article has no tags".into()))?
                    .slug
                    .clone(),
            ),
        };
        let at = crate::store::to_millis(chrono::Utc::now());
        self.store
            .insert_signal(
                user_pk,
                NewSignal {
                    kind: e.kind.as_str(),
                    source: &article.source,
                    id: &article.id,
                    axis: axis.map(Axis::as_str),
                    value: value.as_deref(),
                    at,
                },
            )
            .await?;
        self.touch(user_pk);
        Ok(())
    }

    /// Records that a member saved an article (called by the saving use-case).
    pub async fn record_save(
        &self,
        user_pk: i64,
        source: &str,
        id: &str,
    ) -> Result<(), ReaderError> {
        self.record(
            user_pk,
            &Event {
                kind: SignalKind::Save,
                source: source.to_string(),
                id: id.to_string(),
                axis: None,
                value: None,
            },
        )
        .await
    }

    /// Records that a signed-in member opened an article page; failures are logged, never
    /// shown (the page matters more than the signal).
    pub async fn record_open(&self, user_pk: i64, source: &str, id: &str) {
        let at = crate::store::to_millis(chrono::Utc::now());
        let s = NewSignal {
            kind: SignalKind::Open.as_str(),
            source,
            id,
            axis: None,
            value: None,
            at,
        };
        match self.store.insert_signal(user_pk, s).await {
            Ok(()) => self.touch(user_pk),
            Err(e) => tracing::warn!(error = %e, "could not record an open signal"),
        }
    }

    /// Sources the member hid.
    pub async fn hidden_sources(&self, user_pk: i64) -> anyhow::Result<Vec<String>> {
        self.store.hidden_sources(user_pk).await
    }

    /// Shows a hidden source again; returns whether it was hidden.
    pub async fn unhide(&self, user_pk: i64, source: &str) -> anyhow::Result<bool> {
        let n = self.store.delete_hides(user_pk, source).await?;
        self.touch(user_pk);
        Ok(n > 0)
    }
}
