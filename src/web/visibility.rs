//! Who may read an article: published ones are public; drafts and withdrawn articles are
//! shown only to editors (the desk keeps its preview), and to everyone else they do not
//! exist (404, never 403, so nothing tells an outsider that something is held back).

use axum::http::{HeaderMap, header};

use super::session::{SESSION_COOKIE, cookie};
use crate::app::AppState;
use crate::model::Article;

/// Whether the request comes from an editor, by session cookie or `Bearer` token.
pub async fn is_editor(state: &AppState, headers: &HeaderMap) -> anyhow::Result<bool> {
    if let Some(secret) = cookie(headers, SESSION_COOKIE)
        && let Some(user) = state.accounts.session_user(&secret).await?
        && user.is_editor()
    {
        return Ok(true);
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if let Some(token) = bearer
        && let Some(user) = state.accounts.token_user(token).await?
    {
        return Ok(user.is_editor());
    }
    Ok(false)
}

/// The article `(source, id)` as the requester may see it: `None` when it does not exist,
/// or is a draft or withdrawn and the requester is not an editor.
pub async fn readable_article(
    state: &AppState,
    headers: &HeaderMap,
    source: &str,
    id: &str,
) -> anyhow::Result<Option<Article>> {
    let Some(article) = state.store.article(source, id).await? else {
        return Ok(None);
    };
    let status = state.store.article_status(source, id).await?;
    if status.as_deref() == Some("published") || is_editor(state, headers).await? {
        Ok(Some(article))
    } else {
        Ok(None)
    }
}
