//! `/account/newsletters`: the member's newsletters with one-click toggles, their time zone,
//! and a notice when bounces stopped their mail.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::views::html;
use super::session::{Ctx, internal};
use crate::accounts::User;
use crate::app::AppState;

struct Toggle {
    slug: String,
    name: String,
    description: String,
    subscribed: bool,
}

#[derive(Template)]
#[template(path = "newsletter/account.html")]
struct AccountNewslettersPage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    csrf: String,
    notice: Option<String>,
    alert: Option<String>,
    newsletters: Vec<Toggle>,
    time_zone: String,
    zones: &'static [&'static str],
}

/// Zones offered in the form (any IANA name is accepted).
const ZONES: &[&str] = &[
    "Africa/Cairo",
    "Asia/Riyadh",
    "Asia/Dubai",
    "Asia/Baghdad",
    "Asia/Beirut",
    "Asia/Amman",
    "Asia/Damascus",
    "Asia/Qatar",
    "Asia/Kuwait",
    "Africa/Tripoli",
    "Africa/Tunis",
    "Africa/Algiers",
    "Africa/Casablanca",
    "Africa/Khartoum",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "UTC",
];

/// The notice for a member whose mail bounces stopped, if any (shown on `/account` and
/// `/account/newsletters`).
pub async fn bounce_alert(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
) -> anyhow::Result<Option<String>> {
    let b = state.store.member_bounces(user.pk).await?;
    Ok(b.stopped.then(|| {
        ctx.t
            .args(
                "nl-bounce-alert",
                &[
                    ("email", user.email.as_str().into()),
                    ("n", b.hard_bounces.into()),
                ],
            )
            .into_owned()
    }))
}

/// Renders the page with an optional error.
pub async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    status: StatusCode,
    notice: Option<String>,
) -> Response {
    let all = match state.newsletters.list().await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let mine = match state.newsletters.member_subscriptions(user).await {
        Ok(m) => m,
        Err(e) => return internal(e),
    };
    let alert = match bounce_alert(state, ctx, user).await {
        Ok(a) => a,
        Err(e) => return internal(e),
    };
    let time_zone = match state.store.user_time_zone(user.pk).await {
        Ok(t) => t.unwrap_or_default(),
        Err(e) => return internal(e),
    };
    ctx.respond(html(
        status,
        &AccountNewslettersPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("nl-page-title", "name", &ctx.t.get("nl-account-title"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            notice,
            alert,
            newsletters: all
                .into_iter()
                .map(|n| Toggle {
                    subscribed: mine.contains(&n.pk),
                    slug: n.slug,
                    name: n.name,
                    description: n.description,
                })
                .collect(),
            time_zone,
            zones: ZONES,
        },
    ))
}

/// `GET /account/newsletters`.
pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    page(&state, &ctx, &user, StatusCode::OK, None).await
}
