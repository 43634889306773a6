//! What the For-you pages and the follow buttons show: view structs for the templates.

use std::collections::HashSet;

use crate::app::AppState;
use crate::model::Section;
use crate::reader::{FeedItem, FollowKind};
use crate::web::pages::encode;
use crate::web::session::Ctx;

/// A follow / unfollow button (a form that works without script).
pub struct FollowButton {
    pub signed_in: bool,
    pub csrf: String,
    pub kind: &'static str,
    pub value: String,
    pub label: String,
    pub following: bool,
    /// Where the form returns to.
    pub back: String,
}

/// What a page knows to draw follow buttons: who asks and what they follow.
pub struct FollowCtx {
    pub signed_in: bool,
    pub csrf: String,
    follows: HashSet<(String, String)>,
}

impl FollowCtx {
    /// Reads the member's follows (none for a visitor).
    pub async fn load(state: &AppState, ctx: &Ctx) -> FollowCtx {
        let follows = match &ctx.user {
            Some(u) => match state.store.follows_of(u.pk).await {
                Ok(rows) => rows.into_iter().map(|(k, v, _)| (k, v)).collect(),
                Err(e) => {
                    tracing::warn!(error = %e, "could not read follows");
                    HashSet::new()
                }
            },
            None => HashSet::new(),
        };
        FollowCtx {
            signed_in: ctx.user.is_some(),
            csrf: ctx.csrf.clone(),
            follows,
        }
    }

    /// The button for (kind, value) on the page at `back`.
    pub fn button(&self, kind: FollowKind, value: &str, label: &str, back: &str) -> FollowButton {
        FollowButton {
            signed_in: self.signed_in,
            csrf: self.csrf.clone(),
            kind: kind.as_str(),
            value: value.to_string(),
            label: label.to_string(),
            following: self
                .follows
                .contains(&(kind.as_str().to_string(), value.to_string())),
            back: back.to_string(),
        }
    }
}

/// A feed card.
pub struct FeedCard {
    pub href: String,
    pub source: String,
    pub source_href: String,
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub section: Option<Section>,
    /// (href, name) of the first tags.
    pub tags: Vec<(String, String)>,
    /// The best tag's slug and name (the "less of this tag" button).
    pub top_tag: Option<(String, String)>,
    pub date_iso: String,
    pub date: String,
    pub reason: String,
    pub reason_kind: &'static str,
}

impl From<FeedItem> for FeedCard {
    fn from(i: FeedItem) -> Self {
        let t = i.published.unwrap_or_default();
        FeedCard {
            source_href: format!("/sources/{}", encode(&i.source)),
            top_tag: i.tags.first().cloned(),
            tags: i
                .tags
                .iter()
                .take(3)
                .map(|(slug, name)| (format!("/tags/{}", encode(slug)), name.clone()))
                .collect(),
            href: i.href,
            source: i.source,
            id: i.id,
            title: i.title,
            subtitle: i.subtitle,
            section: i.section,
            date_iso: i
                .published
                .map(|p| p.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
            date: if i.published.is_some() {
                crate::hijri::format_gregorian_ar(t)
            } else {
                String::new()
            },
            reason: i.reason,
            reason_kind: i.reason_kind.as_str(),
        }
    }
}

/// A page for `ctx`: a signed-in member's pages carry the CSRF cookie of their forms and
/// are not cached; a visitor's stay cacheable.
pub fn respond_for(ctx: &Ctx, page: impl axum::response::IntoResponse) -> axum::response::Response {
    if ctx.user.is_some() {
        ctx.respond(page)
    } else {
        page.into_response()
    }
}

/// A local path to return to after a form, or `fallback` (never another site).
pub fn safe_back(back: Option<&str>, fallback: &str) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.to_string(),
        _ => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_back(Some("/for-you?x=1"), "/"), "/for-you?x=1");
        assert_eq!(safe_back(Some("//evil.example"), "/"), "/");
        assert_eq!(safe_back(Some("https://evil.example"), "/"), "/");
        assert_eq!(safe_back(Some("/\\evil"), "/"), "/");
        assert_eq!(safe_back(None, "/a"), "/a");
    }
}
