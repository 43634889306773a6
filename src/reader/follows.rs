//! Follows: a member follows a section (by id, `middleEast`), a tag (by slug) or a source
//! (by name).

use serde::Serialize;

use super::{Reader, ReaderError};
use crate::model::Section;

/// What can be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowKind {
    Section,
    Tag,
    Source,
}

impl FollowKind {
    /// The kind's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowKind::Section => "section",
            FollowKind::Tag => "tag",
            FollowKind::Source => "source",
        }
    }

    /// Parses `section`, `tag` or `source`.
    pub fn parse(s: &str) -> Option<FollowKind> {
        match s {
            "section" => Some(FollowKind::Section),
            "tag" => Some(FollowKind::Tag),
            "source" => Some(FollowKind::Source),
            _ => None,
        }
    }
}

/// One follow as shown to its member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Follow {
    pub kind: FollowKind,
    pub value: String,
    /// What readers see: the section's or tag's name, the source's name.
    pub label: String,
}

impl Follow {
    /// The locale key of the kind's name («قسم», «موضوع», «مصدر»).
    pub fn kind_key(&self) -> &'static str {
        match self.kind {
            FollowKind::Section => "follows-kind-section",
            FollowKind::Tag => "follows-kind-tag",
            FollowKind::Source => "follows-kind-source",
        }
    }

    /// The page of the followed thing.
    pub fn href(&self) -> String {
        let v = crate::web::pages::encode(&self.value);
        match self.kind {
            FollowKind::Section => format!("/sections/{v}"),
            FollowKind::Tag => format!("/tags/{v}"),
            FollowKind::Source => format!("/sources/{v}"),
        }
    }
}

impl Reader {
    /// The label of a followable value, or NotFound when it does not exist. A section is
    /// named by its id exactly (`middleEast`).
    pub async fn resolve(&self, kind: FollowKind, value: &str) -> Result<Follow, ReaderError> {
        let missing = || ReaderError::NotFound(format!("no {} {value:?}", kind.as_str()));
        let (value, label) = match kind {
            FollowKind::Section => {
                let s = Section::ALL
                    .into_iter()
                    .find(|s| s.slug() == value)
                    .ok_or_else(missing)?;
                (s.slug().to_string(), s.name_ar().to_string())
            }
            FollowKind::Tag => {
                let (name, _) = self.store.tag(value).await?.ok_or_else(missing)?;
                (value.to_string(), name)
            }
            FollowKind::Source => {
                if !self.store.source_exists(value).await? {
                    return Err(missing());
                }
                (value.to_string(), value.to_string())
            }
        };
        Ok(Follow { kind, value, label })
    }

    /// Follows something; Ok(true) when the follow is new, Ok(false) when it existed.
    pub async fn follow(
        &self,
        user_pk: i64,
        kind: FollowKind,
        value: &str,
    ) -> Result<bool, ReaderError> {
        let f = self.resolve(kind, value).await?;
        let now = crate::store::to_millis(chrono::Utc::now());
        let created = self
            .store
            .insert_follow(user_pk, kind.as_str(), &f.value, now)
            .await?;
        self.touch(user_pk);
        Ok(created)
    }

    /// Stops following; returns whether there was such a follow.
    pub async fn unfollow(
        &self,
        user_pk: i64,
        kind: FollowKind,
        value: &str,
    ) -> Result<bool, ReaderError> {
        let gone = self
            .store
            .delete_follow(user_pk, kind.as_str(), value)
            .await?;
        self.touch(user_pk);
        Ok(gone)
    }

    /// A member's follows with their labels, oldest first (a tag that no longer exists is
    /// shown by its slug).
    pub async fn follows(&self, user_pk: i64) -> Result<Vec<Follow>, ReaderError> {
        let mut out = Vec::new();
        for (kind, value, _) in self.store.follows_of(user_pk).await? {
            let Some(kind) = FollowKind::parse(&kind) else {
                continue;
            };
            let label = match self.resolve(kind, &value).await {
                Ok(f) => f.label,
                Err(ReaderError::NotFound(_)) => value.clone(),
                Err(e) => return Err(e),
            };
            out.push(Follow { kind, value, label });
        }
        Ok(out)
    }

    /// Whether the member follows (kind, value).
    pub async fn is_following(
        &self,
        user_pk: i64,
        kind: FollowKind,
        value: &str,
    ) -> anyhow::Result<bool> {
        Ok(self
            .store
            .follows_of(user_pk)
            .await?
            .iter()
            .any(|(k, v, _)| k == kind.as_str() && v == value))
    }
}
