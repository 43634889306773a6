//! The admin page (`/admin/members`, admins only): members and their roles, and the
//! "require a verified e-mail" setting.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::views::html;
use super::csrf::CsrfForm;
use super::session::{Ctx, account_error_page, error_page, redirect};
use crate::accounts::{Role, User};
use crate::app::AppState;
use crate::locale::Tr;
use crate::web::chrome::Chrome;

struct Member {
    uid: String,
    email: String,
    role: &'static str,
    verified: bool,
    created: String,
}

#[derive(Template)]
#[template(path = "admin/members.html")]
struct MembersPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    members: Vec<Member>,
    roles: Vec<(&'static str, String)>,
    require_verified: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    require_verified_email: Option<String>,
}

#[expect(
    clippy::result_large_err,
    reason = "the error is the finished response, returned at once"
)]
pub(super) fn admin(ctx: &Ctx) -> Result<User, Response> {
    let user = ctx.require_user()?.clone();
    if !user.is_admin() {
        return Err(error_page(StatusCode::FORBIDDEN, None));
    }
    Ok(user)
}

/// `GET /admin/members`.
pub async fn members(State(state): State<AppState>, ctx: Ctx) -> Response {
    if let Err(r) = admin(&ctx) {
        return r;
    }
    let users = match state.accounts.list_users().await {
        Ok(u) => u,
        Err(e) => return account_error_page(e),
    };
    let require_verified = match state.accounts.require_verified().await {
        Ok(v) => v,
        Err(e) => return account_error_page(e.into()),
    };
    ctx.respond(html(
        StatusCode::OK,
        &MembersPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.get("admin-members-title").into_owned(),
            csrf: ctx.csrf.clone(),
            members: users
                .into_iter()
                .map(|u| Member {
                    uid: u.uid,
                    email: u.email,
                    role: u.role.as_str(),
                    verified: u.verified,
                    created: u.created.format("%Y-%m-%d").to_string(),
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| {
                    (
                        r.as_str(),
                        ctx.t
                            .get(&format!("admin-role-{}", r.as_str()))
                            .into_owned(),
                    )
                })
                .collect(),
            require_verified,
            notice: None,
            error: None,
        },
    ))
}

/// `POST /admin/members/{uid}/role`.
pub async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(uid): Path<String>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Response {
    let me = match admin(&ctx) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let Some(role) = Role::parse(&form.role) else {
        return error_page(StatusCode::BAD_REQUEST, Some(&ctx.t.get("admin-bad-role")));
    };
    if uid == me.uid && role != Role::Admin {
        return error_page(StatusCode::BAD_REQUEST, Some(&ctx.t.get("admin-own-admin")));
    }
    match state.accounts.set_role(&uid, role).await {
        Ok(true) => redirect("/admin/members"),
        Ok(false) => error_page(StatusCode::NOT_FOUND, None),
        Err(e) => account_error_page(e),
    }
}

/// `POST /admin/settings`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Response {
    if let Err(r) = admin(&ctx) {
        return r;
    }
    let on = form
        .require_verified_email
        .is_some_and(|v| v == "on" || v == "true");
    match state.accounts.set_require_verified(on).await {
        Ok(()) => redirect("/admin/members"),
        Err(e) => account_error_page(e.into()),
    }
}
