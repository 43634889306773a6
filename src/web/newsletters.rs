//! Newsletter pages: the public archive (`/newsletters/{slug}`, each edition a page), the
//! visitor's opt-in form and confirmation link (GET shows a button, POST confirms), the
//! one-click unsubscribe link (GET shows a button and changes nothing; POST, with no cookie,
//! ends that newsletter only), and the member's `/account/newsletters`.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::views::html;
use super::csrf::CsrfForm;
use super::session::{Ctx, internal, redirect};
use crate::accounts::Email;
use crate::app::AppState;
use crate::newsletter::compose::edition_items;
use crate::newsletter::render::{ItemView, MailView};
use crate::newsletter::{Newsletter, parse_time_zone};

#[derive(Template)]
#[template(path = "newsletter/index.html")]
struct IndexPage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    newsletters: Vec<Newsletter>,
}

#[derive(Template)]
#[template(path = "newsletter/archive.html")]
struct ArchivePage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    csrf: String,
    slug: String,
    name: String,
    description: String,
    schedule: String,
    /// (edition key, subject, date)
    editions: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "newsletter/edition.html")]
struct EditionPage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    slug: String,
    name: String,
    subject: String,
    date: String,
    intro: String,
    items: Vec<ItemView>,
}

/// A page about a mailed link: a message and, for a live link, one button that POSTs.
#[derive(Template)]
#[template(path = "newsletter/token_page.html")]
pub struct TokenPage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    heading: String,
    message: String,
    button: Option<String>,
    action: String,
    back: (String, String),
}

/// Renders a [`TokenPage`].
pub fn token_page(
    ctx: &Ctx,
    status: StatusCode,
    heading: &str,
    message: &str,
    button: Option<(&str, String)>,
) -> Response {
    let (button, action) = match button {
        Some((label, action)) => (Some(label.to_string()), action),
        None => (None, String::new()),
    };
    ctx.respond(html(
        status,
        &TokenPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.arg("nl-page-title", "name", heading).into_owned(),
            heading: heading.into(),
            message: message.into(),
            button,
            action,
            back: ("/newsletters".into(), ctx.t.get("nl-title").into_owned()),
        },
    ))
}

fn date(ctx: &Ctx, ms: i64) -> String {
    ctx.t.date(crate::store::from_millis(ms))
}

/// `GET /newsletters`.
pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    match state.newsletters.list().await {
        Ok(newsletters) => ctx.respond(html(
            StatusCode::OK,
            &IndexPage {
                t: ctx.t,
                chrome: ctx.chrome.clone(),
                title: ctx
                    .t
                    .arg("nl-page-title", "name", &ctx.t.get("nl-title"))
                    .into_owned(),
                newsletters,
            },
        )),
        Err(e) => internal(e),
    }
}

/// `GET /newsletters/{slug}`: the archive.
pub async fn archive(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Response {
    let n = match state.newsletters.by_slug(&slug).await {
        Ok(Some(n)) => n,
        Ok(None) => return super::session::error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    };
    let editions = match state.store.editions_of(n.pk, 200).await {
        Ok(e) => e,
        Err(e) => return internal(e),
    };
    ctx.respond(html(
        StatusCode::OK,
        &ArchivePage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.arg("nl-page-title", "name", &n.name).into_owned(),
            csrf: ctx.csrf.clone(),
            slug: n.slug.clone(),
            schedule: schedule_text(&ctx, &n),
            name: n.name,
            description: n.description,
            editions: editions
                .into_iter()
                .map(|e| (e.pk, e.subject, date(&ctx, e.created)))
                .collect(),
        },
    ))
}

fn schedule_text(ctx: &Ctx, n: &Newsletter) -> String {
    use crate::newsletter::Schedule;
    let (key, at) = match n.schedule {
        Schedule::None => return String::new(),
        Schedule::Daily { at } => ("nl-schedule-daily", at),
        Schedule::Weekly { at, .. } => ("nl-schedule-weekly", at),
    };
    ctx.t
        .arg(key, "at", &at.format("%H:%M").to_string())
        .into_owned()
}

/// `GET /newsletters/{slug}/{edition}`: one edition as a page.
pub async fn edition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let not_found = || super::session::error_page(StatusCode::NOT_FOUND, None);
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let n = match state.newsletters.by_slug(&slug).await {
        Ok(Some(n)) => n,
        Ok(None) => return not_found(),
        Err(e) => return internal(e),
    };
    let e = match state.store.edition(id).await {
        Ok(Some(e)) if e.newsletter_pk == n.pk && e.state != "skipped" => e,
        Ok(_) => return not_found(),
        Err(e) => return internal(e),
    };
    let items = MailView::items_from("", &edition_items(&e));
    ctx.respond(html(
        StatusCode::OK,
        &EditionPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: format!("{} — {}", e.subject, n.name),
            slug: n.slug,
            name: n.name,
            subject: e.subject,
            date: date(&ctx, e.created),
            intro: e.intro,
            items,
        },
    ))
}

#[derive(Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
}

/// `POST /newsletters/{slug}/signup`: the visitor's form. The same page whatever the
/// address.
pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<SignupForm>,
) -> Response {
    let Ok(email) = Email::parse(&f.email) else {
        return token_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            &ctx.t.get("nl-bad-address-heading"),
            &ctx.t.get("nl-bad-address"),
            None,
        );
    };
    match state
        .newsletters
        .visitor_signup(&slug, &email, &ctx.ip, ctx.t.locale())
        .await
    {
        Ok(true) => token_page(
            &ctx,
            StatusCode::OK,
            &ctx.t.get("nl-check-mail-heading"),
            &ctx.t.get("nl-check-mail"),
            None,
        ),
        Ok(false) => super::session::error_page(StatusCode::NOT_FOUND, None),
        Err(e) => internal(e),
    }
}

fn dead_link(ctx: &Ctx) -> Response {
    token_page(
        ctx,
        StatusCode::BAD_REQUEST,
        &ctx.t.get("nl-dead-link-heading"),
        &ctx.t.get("nl-dead-link"),
        None,
    )
}

/// `GET /newsletters/confirm/{token}`: a button; nothing changes yet (link scanners).
pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match state.newsletters.confirm_target(&token).await {
        Ok(Some(n)) => token_page(
            &ctx,
            StatusCode::OK,
            &ctx.t.get("nl-confirm-heading"),
            &ctx.t.arg("nl-confirm-message", "name", &n.name),
            Some((
                &*ctx.t.get("nl-confirm-button"),
                format!("/newsletters/confirm/{token}"),
            )),
        ),
        Ok(None) => dead_link(&ctx),
        Err(e) => internal(e),
    }
}

/// `POST /newsletters/confirm/{token}`: confirms the opt-in.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match state.newsletters.confirm(&token).await {
        Ok(Some(n)) => token_page(
            &ctx,
            StatusCode::OK,
            &ctx.t.get("nl-confirmed-heading"),
            &ctx.t.arg("nl-confirmed", "name", &n.name),
            None,
        ),
        Ok(None) => dead_link(&ctx),
        Err(e) => internal(e),
    }
}

/// `GET /unsubscribe/{token}`: a button; nothing changes (link scanners follow GETs).
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match state.newsletters.unsubscribe_target(&token).await {
        Ok(Some(n)) => token_page(
            &ctx,
            StatusCode::OK,
            &ctx.t.get("nl-unsub-heading"),
            &ctx.t.arg("nl-unsub-message", "name", &n.name),
            Some((
                &*ctx.t.get("nl-unsubscribe"),
                format!("/unsubscribe/{token}"),
            )),
        ),
        Ok(None) => dead_link(&ctx),
        Err(e) => internal(e),
    }
}

/// `POST /unsubscribe/{token}`: RFC 8058 one-click (body `List-Unsubscribe=One-Click`, no
/// cookie) or the page's button; ends that one newsletter.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    match state.newsletters.unsubscribe(&token).await {
        Ok(Some(n)) => token_page(
            &ctx,
            StatusCode::OK,
            &ctx.t.get("nl-unsub-done-heading"),
            &ctx.t.arg("nl-unsub-done", "name", &n.name),
            None,
        ),
        Ok(None) => dead_link(&ctx),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub struct ToggleForm {
    #[serde(default)]
    action: String,
}

/// `POST /account/newsletters/{slug}`: subscribe or unsubscribe in one click.
pub async fn toggle(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<ToggleForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let nl = &state.newsletters;
    let done = if f.action == "unsubscribe" {
        nl.member_unsubscribe(&user, &slug).await
    } else {
        nl.member_subscribe(&user, &slug).await
    };
    match done {
        Ok(Some(_)) => redirect("/account/newsletters"),
        Ok(None) => super::session::error_page(StatusCode::NOT_FOUND, None),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub struct TimeZoneForm {
    #[serde(default)]
    time_zone: String,
}

/// `POST /account/time-zone`.
pub async fn set_time_zone(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TimeZoneForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let tz = f.time_zone.trim();
    if !tz.is_empty() && parse_time_zone(tz).is_none() {
        return super::newsletters_account::page(
            &state,
            &ctx,
            &user,
            StatusCode::BAD_REQUEST,
            Some(ctx.t.arg("nl-account-bad-tz", "zone", tz).into_owned()),
        )
        .await;
    }
    let value = (!tz.is_empty()).then_some(tz);
    match state.store.set_user_time_zone(user.pk, value).await {
        Ok(()) => redirect("/account/newsletters"),
        Err(e) => internal(e),
    }
}
