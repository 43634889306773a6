//! `POST /desk/pin/{source}/{id}`: an editor pins a published article at the top of every
//! member's For-you feed for some hours, or takes the pin off (`src/newsroom/pin.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::editor;
use super::views::paths;
use crate::app::AppState;
use crate::newsroom::PinRefusal;
use crate::web::csrf::CsrfForm;
use crate::web::session::{Ctx, error_page, internal, redirect};

#[derive(Deserialize)]
pub struct PinForm {
    /// `pin` or `unpin`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    hours: String,
}

pub async fn pin(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<PinForm>,
) -> Response {
    let user = match editor(&state, &ctx).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let back = paths(&source, &id).0;
    if form.action == "unpin" {
        return match state.newsroom.unpin(&source, &id).await {
            Ok(_) => redirect(&back),
            Err(e) => internal(e),
        };
    }
    let hours = match form.hours.trim() {
        "" => Some(crate::newsroom::DEFAULT_PIN_HOURS),
        h => h.parse::<i64>().ok(),
    };
    let Some(hours) = hours else {
        return refused(&ctx, PinRefusal::BadHours);
    };
    match state.newsroom.pin(&source, &id, hours, Some(user.pk)).await {
        Ok(Ok(_)) => redirect(&back),
        Ok(Err(why)) => refused(&ctx, why),
        Err(e) => internal(e),
    }
}

fn refused(ctx: &Ctx, why: PinRefusal) -> Response {
    match why {
        PinRefusal::NoSuchArticle => error_page(StatusCode::NOT_FOUND, None),
        PinRefusal::NotPublished => error_page(
            StatusCode::BAD_REQUEST,
            Some(&ctx.t.get("desk-pin-not-published")),
        ),
        PinRefusal::BadHours => error_page(
            StatusCode::BAD_REQUEST,
            Some(&ctx.t.get("desk-pin-bad-hours")),
        ),
    }
}
