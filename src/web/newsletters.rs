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
            title: format!("{heading} — صحيفة"),
            heading: heading.into(),
            message: message.into(),
            button,
            action,
            back: ("/newsletters".into(), "النشرات البريدية".into()),
        },
    ))
}

fn date(ms: i64) -> String {
    crate::hijri::format_gregorian_ar(crate::store::from_millis(ms))
}

/// `GET /newsletters`.
pub async fn index(State(state): State<AppState>, ctx: Ctx) -> Response {
    match state.newsletters.list().await {
        Ok(newsletters) => ctx.respond(html(
            StatusCode::OK,
            &IndexPage {
                t: ctx.t,
                chrome: ctx.chrome.clone(),
                title: "النشرات البريدية — صحيفة".into(),
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
            title: format!("{} — صحيفة", n.name),
            csrf: ctx.csrf.clone(),
            slug: n.slug.clone(),
            schedule: schedule_ar(&n),
            name: n.name,
            description: n.description,
            editions: editions
                .into_iter()
                .map(|e| (e.pk, e.subject, date(e.created)))
                .collect(),
        },
    ))
}

fn schedule_ar(n: &Newsletter) -> String {
    use crate::newsletter::Schedule;
    match n.schedule {
        Schedule::None => String::new(),
        Schedule::Daily { at } => format!("تصدر يومياً الساعة {} بتوقيتك", at.format("%H:%M")),
        Schedule::Weekly { at, .. } => {
            format!("تصدر أسبوعياً الساعة {} بتوقيتك", at.format("%H:%M"))
        }
    }
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
            date: date(e.created),
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
            "عنوان غير صالح",
            "اكتب عنوان بريد إلكتروني صحيحاً.",
            None,
        );
    };
    match state
        .newsletters
        .visitor_signup(&slug, &email, &ctx.ip)
        .await
    {
        Ok(true) => token_page(
            &ctx,
            StatusCode::OK,
            "تحقّق من بريدك",
            "إن لم يكن العنوان مشتركاً بعد فستصله رسالة فيها رابط لتأكيد الاشتراك.",
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
        "رابط غير صالح",
        "هذا الرابط غير صالح أو انتهت صلاحيته.",
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
            "تأكيد الاشتراك",
            &format!("اضغط الزر لتأكيد اشتراكك في «{}».", n.name),
            Some(("تأكيد الاشتراك", format!("/newsletters/confirm/{token}"))),
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
            "تم الاشتراك",
            &format!("اشتراكك في «{}» مؤكَّد. ستصلك أعدادها القادمة.", n.name),
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
            "إلغاء الاشتراك",
            &format!(
                "اضغط الزر لإيقاف نشرة «{}» عن هذا العنوان. نشراتك الأخرى تبقى كما هي.",
                n.name
            ),
            Some(("إلغاء الاشتراك", format!("/unsubscribe/{token}"))),
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
            "أُلغي الاشتراك",
            &format!("لن تصلك نشرة «{}» بعد الآن.", n.name),
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
            Some(format!(
                "«{tz}» ليست منطقة زمنية معروفة؛ اكتبها مثل Africa/Cairo."
            )),
        )
        .await;
    }
    let value = (!tz.is_empty()).then_some(tz);
    match state.store.set_user_time_zone(user.pk, value).await {
        Ok(()) => redirect("/account/newsletters"),
        Err(e) => internal(e),
    }
}
