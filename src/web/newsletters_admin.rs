//! `/admin/newsletters` (admins): every newsletter with its subscribers over time and the
//! delivery figures of its recent editions as server-rendered SVG charts, and a form to send
//! an edition now (with subject, introduction and articles for a manual newsletter). Also
//! the desk's "send as breaking news" button.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::views::html;
use super::csrf::CsrfForm;
use super::session::{Ctx, error_page, internal};
use crate::app::AppState;
use crate::locale::Tr;
use crate::newsletter::{Kind, Newsletter};
use crate::store::DeliveryCounts;

/// Chart geometry (the template spells the same numbers).
const W: f64 = 600.0;
const H: f64 = 160.0;
const PAD: f64 = 30.0;
/// Days on the subscribers chart.
const DAYS: i64 = 30;
/// Editions on the delivery chart.
const EDITIONS: i64 = 12;

struct Rect {
    x: String,
    y: String,
    w: String,
    h: String,
    fill: &'static str,
}

struct Bar {
    id: i64,
    subject: String,
    recipients: i64,
    sent: i64,
    failed: i64,
    uncertain: i64,
    queued: i64,
    /// "Edition N: … sent, … failed, …" (the bar's tooltip).
    label: String,
    rects: Vec<Rect>,
}

struct Card {
    slug: String,
    name: String,
    kind: &'static str,
    schedule: String,
    subscribers: i64,
    /// "Subscribers: from … to …" (the chart's label).
    range: String,
    max: i64,
    days: i64,
    points: String,
    bars: Vec<Bar>,
    manual: bool,
}

#[derive(Template)]
#[template(path = "admin/newsletters.html")]
struct AdminPage {
    t: crate::locale::Tr,
    chrome: crate::web::chrome::Chrome,
    title: String,
    csrf: String,
    notice: Option<String>,
    error: Option<String>,
    cards: Vec<Card>,
}

/// Subscribers at the end of each of the `DAYS` days up to `now_ms`.
pub fn subscribers_by_day(spans: &[(i64, Option<i64>)], now_ms: i64) -> Vec<i64> {
    (0..DAYS)
        .map(|d| {
            let t = now_ms - (DAYS - 1 - d) * 86_400_000;
            let active = spans
                .iter()
                .filter(|(from, to)| *from <= t && to.is_none_or(|e| e > t))
                .count();
            i64::try_from(active).unwrap_or(i64::MAX)
        })
        .collect()
}

fn polyline(values: &[i64], max: i64) -> String {
    let n = values.len().max(2) as f64 - 1.0;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = PAD + (W - 2.0 * PAD) * (i as f64) / n;
            let y = H - PAD - (H - 2.0 * PAD) * (*v as f64) / (max.max(1) as f64);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn bars(t: Tr, editions: Vec<(i64, String, DeliveryCounts)>) -> Vec<Bar> {
    let max = editions
        .iter()
        .map(|e| e.2.recipients)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let slot = (W - 2.0 * PAD) / (EDITIONS as f64);
    editions
        .into_iter()
        .enumerate()
        .map(|(i, (id, subject, c))| {
            let x = PAD + slot * (i as f64) + slot * 0.15;
            let mut y = H - PAD;
            let mut rects = Vec::new();
            for (n, fill) in [
                (c.sent, "#0b5d4b"),
                (c.failed, "#b3261e"),
                (c.uncertain, "#e8a33d"),
                (c.queued, "#9aa0a6"),
            ] {
                let h = (H - 2.0 * PAD) * (n as f64) / max;
                y -= h;
                rects.push(Rect {
                    x: format!("{x:.1}"),
                    y: format!("{y:.1}"),
                    w: format!("{:.1}", slot * 0.7),
                    h: format!("{h:.1}"),
                    fill,
                });
            }
            let label = t
                .args(
                    "nl-admin-bar",
                    &[
                        ("edition", id.into()),
                        ("sent", c.sent.into()),
                        ("failed", c.failed.into()),
                        ("uncertain", c.uncertain.into()),
                        ("queued", c.queued.into()),
                    ],
                )
                .into_owned();
            Bar {
                id,
                label,
                subject,
                recipients: c.recipients,
                sent: c.sent,
                failed: c.failed,
                uncertain: c.uncertain,
                queued: c.queued,
                rects,
            }
        })
        .collect()
}

async fn card(state: &AppState, t: Tr, n: Newsletter, now_ms: i64) -> anyhow::Result<Card> {
    let spans = state.store.subscription_spans(n.pk).await?;
    let days = subscribers_by_day(&spans, now_ms);
    let max = days.iter().copied().max().unwrap_or(0);
    let mut recent = state.store.editions_of(n.pk, EDITIONS).await?;
    recent.reverse();
    let mut figures = Vec::new();
    for e in recent {
        figures.push((e.pk, e.subject, state.store.delivery_counts(e.pk).await?));
    }
    let (first, last) = (
        days.first().copied().unwrap_or(0),
        days.last().copied().unwrap_or(0),
    );
    Ok(Card {
        range: t
            .args(
                "nl-admin-subscribers-range",
                &[("from", first.into()), ("to", last.into())],
            )
            .into_owned(),
        slug: n.slug,
        name: n.name,
        kind: n.kind.as_str(),
        schedule: n.schedule.as_string(),
        subscribers: last,
        max,
        days: DAYS,
        points: polyline(&days, max),
        bars: bars(t, figures),
        manual: n.kind == Kind::Manual,
    })
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    match ctx.require_user() {
        Ok(u) if u.is_admin() => {}
        Ok(_) => return error_page(StatusCode::FORBIDDEN, None),
        Err(r) => return r,
    };
    let list = match state.newsletters.list().await {
        Ok(l) => l,
        Err(e) => return internal(e),
    };
    let now = state.newsletters.now().timestamp_millis();
    let mut cards = Vec::new();
    for n in list {
        match card(state, ctx.t, n, now).await {
            Ok(c) => cards.push(c),
            Err(e) => return internal(e),
        }
    }
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    ctx.respond(html(
        status,
        &AdminPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("nl-page-title", "name", &ctx.t.get("nl-admin-title"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            notice,
            error,
            cards,
        },
    ))
}

/// `GET /admin/newsletters`.
pub async fn page(State(state): State<AppState>, ctx: Ctx) -> Response {
    render(&state, &ctx, None, None).await
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    intro: String,
    #[serde(default)]
    articles: String,
}

/// `POST /admin/newsletters/{slug}/send`: composes and queues an edition now.
pub async fn send(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<SendForm>,
) -> Response {
    if !ctx.user.as_ref().is_some_and(|u| u.is_admin()) {
        return render(&state, &ctx, None, None).await;
    }
    let nl = &state.newsletters;
    let n = match nl.by_slug(&slug).await {
        Ok(Some(n)) => n,
        Ok(None) => return error_page(StatusCode::NOT_FOUND, None),
        Err(e) => return internal(e),
    };
    let result = if n.kind == Kind::Manual {
        let keys: Vec<(String, String)> = f
            .articles
            .lines()
            .filter_map(|l| l.trim().split_once('/'))
            .map(|(s, i)| (s.trim().to_string(), i.trim().to_string()))
            .collect();
        nl.send_composed(&n, &f.subject, &f.intro, &keys).await
    } else {
        nl.send_now(&n).await
    };
    match result {
        Ok((e, count)) => {
            let notice = ctx
                .t
                .args(
                    "nl-admin-queued",
                    &[("edition", e.pk.into()), ("n", count.into())],
                )
                .into_owned();
            render(&state, &ctx, Some(notice), None).await
        }
        Err(e) => render(&state, &ctx, None, Some(format!("{e:#}"))).await,
    }
}

/// `POST /desk/breaking/{source}/{id}` (editors): sends the article to every breaking-news
/// newsletter, once per article.
pub async fn breaking(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((source, id)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    match ctx.require_user() {
        Ok(u) if u.is_editor() => {}
        Ok(_) => return error_page(StatusCode::FORBIDDEN, None),
        Err(r) => return r,
    }
    match state.newsletters.send_breaking(&source, &id).await {
        Ok(sent) => {
            let total: u64 = sent.iter().map(|s| s.2).sum();
            tracing::info!(newsletters = sent.len(), recipients = total, %source, %id, "breaking news queued");
            super::newsletters::token_page(
                &ctx,
                StatusCode::OK,
                &ctx.t.get("nl-breaking-heading"),
                &ctx.t.n("nl-desk-breaking-sent", sent.len()),
                None,
            )
        }
        Err(e) => error_page(StatusCode::BAD_REQUEST, Some(&format!("{e:#}"))),
    }
}
