//! The account page: resend verification, API tokens, change of e-mail (confirmed at the
//! new address), sign out everywhere, export as JSON, and deletion.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::views::{AccountPage, ConfirmPage, NoticePage, html};
use super::csrf::CsrfForm;
use super::session::{Ctx, account_error_page, redirect, redirect_signed_out};
use crate::accounts::{AccountError, User};
use crate::app::AppState;

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
pub struct EmailChangeForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

/// Renders the account page with an optional notice, error and new token.
/// The account page with an error message above the forms.
async fn error_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    status: StatusCode,
    message: String,
) -> Response {
    page(state, ctx, user, status, None, Some(message), None).await
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    new_token: Option<String>,
) -> Response {
    let tokens = match state.accounts.api_tokens(user).await {
        Ok(t) => t,
        Err(e) => return account_error_page(e),
    };
    let must_verify = match state.accounts.require_verified().await {
        Ok(r) => r && !user.verified,
        Err(e) => return account_error_page(e.into()),
    };
    let bounce = match super::newsletters_account::bounce_alert(state, ctx, user).await {
        Ok(b) => b,
        Err(e) => return account_error_page(e.into()),
    };
    ctx.respond(html(
        status,
        &AccountPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("page-title", "page", &ctx.t.get("acc-heading"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            notice,
            error,
            email: user.email.clone(),
            role: ctx
                .t
                .get(&format!("role-{}", user.role.as_str()))
                .into_owned(),
            verified: user.verified,
            must_verify,
            is_editor: user.is_editor(),
            is_admin: user.is_admin(),
            tokens,
            new_token,
            bounce,
        },
    ))
}

/// `GET /account`.
pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    page(&state, &ctx, &user, StatusCode::OK, None, None, None).await
}

/// `POST /account/verify`: sends the verification e-mail again.
pub async fn resend_verification(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    if let Err(e) = state.accounts.send_verification(&user).await {
        return account_error_page(e);
    }
    let notice = ctx.t.get("acc-resent").into_owned();
    page(
        &state,
        &ctx,
        &user,
        StatusCode::OK,
        Some(notice),
        None,
        None,
    )
    .await
}

/// `POST /account/tokens`: creates a personal API token, shown once.
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<NameForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.accounts.create_api_token(&user, &f.name).await {
        Ok(secret) => {
            page(
                &state,
                &ctx,
                &user,
                StatusCode::OK,
                None,
                None,
                Some(secret),
            )
            .await
        }
        Err(AccountError::Invalid(m)) => {
            error_page(&state, &ctx, &user, StatusCode::BAD_REQUEST, m).await
        }
        Err(e) => account_error_page(e),
    }
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.accounts.revoke_api_token(&user, id).await {
        Ok(_) => redirect("/account"),
        Err(e) => account_error_page(e),
    }
}

/// `POST /account/email`: sends a confirm link to the new address.
pub async fn change_email(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailChangeForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state
        .accounts
        .request_email_change(&user, &f.new_email, &f.password)
        .await
    {
        Ok(()) => {
            let notice = &*ctx.t.get("acc-sent-change");
            page(
                &state,
                &ctx,
                &user,
                StatusCode::OK,
                Some(notice.into()),
                None,
                None,
            )
            .await
        }
        Err(AccountError::Invalid(m)) => {
            error_page(&state, &ctx, &user, StatusCode::BAD_REQUEST, m).await
        }
        Err(AccountError::BadCredentials) => {
            error_page(
                &state,
                &ctx,
                &user,
                StatusCode::UNAUTHORIZED,
                ctx.t.get("acc-bad-password").into_owned(),
            )
            .await
        }
        Err(e) => account_error_page(e),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /account/email/confirm?token=`: a confirm button; the token stays unused.
pub async fn confirm_email_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match state.accounts.email_change_target(&q.token).await {
        Ok(Some(target)) => ctx.respond(html(
            StatusCode::OK,
            &ConfirmPage::new(
                &ctx,
                &ctx.t.get("acc-confirm-new-email"),
                &ctx.t.arg("acc-confirm-move", "target", &target),
                "/account/email/confirm",
                Some(&q.token),
                &ctx.t.get("acc-confirm"),
            ),
        )),
        Ok(None) => account_error_page(AccountError::BadToken),
        Err(e) => account_error_page(e),
    }
}

/// `POST /account/email/confirm`: moves the account to the new address.
pub async fn confirm_email(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Response {
    match state.accounts.confirm_email_change(&f.token).await {
        Ok(_) => ctx.respond(html(
            StatusCode::OK,
            &NoticePage::new(
                &ctx,
                &ctx.t.get("acc-email-changed"),
                &ctx.t.get("acc-email-changed-text"),
                Some(("/account", &*ctx.t.get("acc-heading"))),
            ),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `POST /account/signout-all`: ends every session of the member.
pub async fn signout_all(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.accounts.end_all_sessions(&user).await {
        Ok(_) => redirect_signed_out("/signin", ctx.secure),
        Err(e) => account_error_page(e),
    }
}

/// `GET /account/export`: everything stored about the member, as a JSON download.
pub async fn export(State(state): State<AppState>, ctx: Ctx) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    let mut export = state.accounts.export(&user).await;
    if let Ok(v) = &mut export {
        match crate::reader::saved::records(&state.store, user.pk).await {
            Ok(saved) => v["saved"] = serde_json::json!(saved),
            Err(e) => return super::session::internal(e),
        }
    }
    match export {
        Ok(v) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"sahifa-account.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => account_error_page(e),
    }
}

/// `POST /account/delete`: deletes the account after checking the password.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(r) => return r,
    };
    match state.accounts.delete_account(&user, &f.password).await {
        Ok(()) => redirect_signed_out("/", ctx.secure),
        Err(AccountError::BadCredentials) => {
            error_page(
                &state,
                &ctx,
                &user,
                StatusCode::UNAUTHORIZED,
                ctx.t.get("acc-delete-bad-password").into_owned(),
            )
            .await
        }
        Err(e) => account_error_page(e),
    }
}
