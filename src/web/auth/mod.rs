//! Sign-up, sign-in (password, e-mail link with a confirm page, one-time code), sign-out,
//! e-mail verification and password reset pages. Every POST goes through [`CsrfForm`].

pub mod views;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::session::{Ctx, account_error_page, redirect, redirect_signed_in, redirect_signed_out};
use crate::accounts::{AccountError, User};
use crate::app::AppState;
use views::{ConfirmPage, NoticePage, ResetPage, SigninPage, SignupPage, html};

#[derive(Deserialize)]
pub struct EmailPassword {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct EmailOnly {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub struct EmailCode {
    #[serde(default)]
    email: String,
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// Opens a session for `user` (ending the one the browser had) and goes to the account.
async fn start_session(state: &AppState, ctx: &Ctx, user: &User) -> Response {
    if let Some(old) = &ctx.session {
        let _ = state.accounts.end_session(old).await;
    }
    match state.accounts.create_session(user).await {
        Ok(secret) => redirect_signed_in("/account", &secret, ctx.secure),
        Err(e) => account_error_page(e),
    }
}

/// `GET /signup`.
pub async fn signup_form(ctx: Ctx) -> Response {
    ctx.respond(html(StatusCode::OK, &SignupPage::new(&ctx, "", None)))
}

/// `POST /signup`: the same answer for new and known addresses.
pub async fn signup(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailPassword>,
) -> Response {
    let locale = ctx.t.locale();
    match state
        .accounts
        .sign_up(&f.email, &f.password, &ctx.ip, locale)
        .await
    {
        Ok(_) => ctx.respond(html(
            StatusCode::OK,
            &NoticePage::new(
                &ctx,
                &ctx.t.get("acc-check-mail"),
                &ctx.t.get("acc-sent-verify"),
                Some(("/signin", &*ctx.t.get("acc-signin-heading"))),
            ),
        )),
        Err(AccountError::Invalid(m)) => ctx.respond(html(
            StatusCode::BAD_REQUEST,
            &SignupPage::new(&ctx, &f.email, Some(m)),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `GET /signin`.
pub async fn signin_form(ctx: Ctx) -> Response {
    if ctx.user.is_some() {
        return redirect("/account");
    }
    ctx.respond(html(StatusCode::OK, &SigninPage::new(&ctx, "", None, None)))
}

/// `POST /signin`: password sign-in.
pub async fn signin(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailPassword>,
) -> Response {
    match state.accounts.sign_in(&f.email, &f.password, &ctx.ip).await {
        Ok(user) => start_session(&state, &ctx, &user).await,
        Err(AccountError::BadCredentials) => ctx.respond(html(
            StatusCode::UNAUTHORIZED,
            &SigninPage::new(
                &ctx,
                &f.email,
                Some(ctx.t.get("acc-bad-credentials").into_owned()),
                None,
            ),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `POST /signin/email`: asks for a sign-in link and code.
pub async fn signin_email(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailOnly>,
) -> Response {
    match state.accounts.request_sign_in_link(&f.email, &ctx.ip).await {
        Ok(()) => ctx.respond(html(
            StatusCode::OK,
            &SigninPage::new(
                &ctx,
                &f.email,
                None,
                Some(ctx.t.get("acc-sent-link").into_owned()),
            ),
        )),
        Err(AccountError::Invalid(m)) => ctx.respond(html(
            StatusCode::BAD_REQUEST,
            &SigninPage::new(&ctx, &f.email, Some(m), None),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `GET /signin/link?token=`: only shows a confirm button; the token stays unused, so
/// mail scanners that fetch links cannot spend it.
pub async fn signin_link_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match state.accounts.sign_in_link_is_live(&q.token).await {
        Ok(true) => ctx.respond(html(
            StatusCode::OK,
            &ConfirmPage::new(
                &ctx,
                &ctx.t.get("acc-confirm-signin"),
                &ctx.t.get("acc-confirm-signin-text"),
                "/signin/link",
                Some(&q.token),
                &ctx.t.get("acc-signin-heading"),
            ),
        )),
        Ok(false) => account_error_page(AccountError::BadToken),
        Err(e) => account_error_page(e),
    }
}

/// `POST /signin/link`: the confirm button; uses the token up and signs in.
pub async fn signin_link(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Response {
    match state.accounts.sign_in_with_link(&f.token).await {
        Ok(user) => start_session(&state, &ctx, &user).await,
        Err(e) => account_error_page(e),
    }
}

/// `POST /signin/code`: the one-time code from the sign-in e-mail.
pub async fn signin_code(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailCode>,
) -> Response {
    match state
        .accounts
        .sign_in_with_code(&f.email, &f.code, &ctx.ip)
        .await
    {
        Ok(user) => start_session(&state, &ctx, &user).await,
        Err(AccountError::BadToken) => ctx.respond(html(
            StatusCode::UNAUTHORIZED,
            &SigninPage::new(
                &ctx,
                &f.email,
                Some(ctx.t.get("acc-bad-code").into_owned()),
                None,
            ),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `GET /signout`: a confirm button (a GET never changes anything).
pub async fn signout_page(ctx: Ctx) -> Response {
    ctx.respond(html(
        StatusCode::OK,
        &ConfirmPage::new(
            &ctx,
            &ctx.t.get("acc-signout"),
            &ctx.t.get("acc-signout-question"),
            "/signout",
            None,
            &ctx.t.get("acc-signout"),
        ),
    ))
}

/// `POST /signout`: ends this session.
pub async fn signout(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    if let Some(secret) = &ctx.session
        && let Err(e) = state.accounts.end_session(secret).await
    {
        return account_error_page(e);
    }
    redirect_signed_out("/", ctx.secure)
}

/// `GET /verify?token=`: confirms the address (it does not sign in).
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match state.accounts.verify_email(&q.token).await {
        Ok(_) => {
            let (href, label) = if ctx.user.is_some() {
                ("/account", &*ctx.t.get("acc-heading"))
            } else {
                ("/signin", &*ctx.t.get("acc-signin-heading"))
            };
            ctx.respond(html(
                StatusCode::OK,
                &NoticePage::new(
                    &ctx,
                    &ctx.t.get("acc-verified-heading"),
                    &ctx.t.get("acc-verified-text"),
                    Some((href, label)),
                ),
            ))
        }
        Err(e) => account_error_page(e),
    }
}

/// `GET /reset`.
pub async fn reset_form(ctx: Ctx) -> Response {
    ctx.respond(html(StatusCode::OK, &ResetPage::new(&ctx, None, None)))
}

/// `POST /reset`: the same answer for known and unknown addresses.
pub async fn reset_request(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<EmailOnly>,
) -> Response {
    match state.accounts.request_reset(&f.email, &ctx.ip).await {
        Ok(()) => ctx.respond(html(
            StatusCode::OK,
            &NoticePage::new(
                &ctx,
                &ctx.t.get("acc-check-mail"),
                &ctx.t.get("acc-sent-reset"),
                None,
            ),
        )),
        Err(AccountError::Invalid(m)) => ctx.respond(html(
            StatusCode::BAD_REQUEST,
            &ResetPage::new(&ctx, None, Some(m)),
        )),
        Err(e) => account_error_page(e),
    }
}

/// `GET /reset/confirm?token=`: the new-password form (the token stays unused).
pub async fn reset_confirm_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> Response {
    match state.accounts.reset_link_is_live(&q.token).await {
        Ok(true) => ctx.respond(html(
            StatusCode::OK,
            &ResetPage::new(&ctx, Some(&q.token), None),
        )),
        Ok(false) => account_error_page(AccountError::BadToken),
        Err(e) => account_error_page(e),
    }
}

/// `POST /reset/confirm`: sets the new password; every session of the member ends.
pub async fn reset_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Response {
    match state.accounts.reset_password(&f.token, &f.password).await {
        Ok(_) => {
            let page = html(
                StatusCode::OK,
                &NoticePage::new(
                    &ctx,
                    &ctx.t.get("acc-password-changed"),
                    &ctx.t.get("acc-password-changed-text"),
                    Some(("/signin", &*ctx.t.get("acc-signin-heading"))),
                ),
            );
            let mut resp = ctx.respond(page);
            resp.headers_mut().append(
                axum::http::header::SET_COOKIE,
                super::session::set_cookie(super::session::SESSION_COOKIE, "", Some(0), ctx.secure),
            );
            resp
        }
        Err(AccountError::Invalid(m)) => ctx.respond(html(
            StatusCode::BAD_REQUEST,
            &ResetPage::new(&ctx, Some(&f.token), Some(m)),
        )),
        Err(e) => account_error_page(e),
    }
}
