//! The templates of the account pages.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::accounts::ApiTokenInfo;
use crate::locale::Tr;
use crate::web::chrome::Chrome;
use crate::web::session::{Ctx, internal};

/// Renders `t` with `status`, or a logged 500.
pub fn html(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Template)]
#[template(path = "account/signup.html")]
pub struct SignupPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    error: Option<String>,
    email: String,
}

impl SignupPage {
    pub fn new(ctx: &Ctx, email: &str, error: Option<String>) -> Self {
        SignupPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("page-title", "page", &ctx.t.get("acc-signup-heading"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            error,
            email: email.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "account/signin.html")]
pub struct SigninPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    error: Option<String>,
    notice: Option<String>,
    email: String,
}

impl SigninPage {
    pub fn new(ctx: &Ctx, email: &str, error: Option<String>, notice: Option<String>) -> Self {
        SigninPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("page-title", "page", &ctx.t.get("acc-signin-heading"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            error,
            notice,
            email: email.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "account/notice.html")]
pub struct NoticePage {
    t: Tr,
    chrome: Chrome,
    title: String,
    heading: String,
    message: String,
    link: Option<(String, String)>,
}

impl NoticePage {
    pub fn new(ctx: &Ctx, heading: &str, message: &str, link: Option<(&str, &str)>) -> Self {
        NoticePage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.arg("page-title", "page", heading).into_owned(),
            heading: heading.into(),
            message: message.into(),
            link: link.map(|(h, l)| (h.to_string(), l.to_string())),
        }
    }
}

#[derive(Template)]
#[template(path = "account/confirm.html")]
pub struct ConfirmPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    heading: String,
    message: String,
    action: String,
    token: Option<String>,
    button: String,
}

impl ConfirmPage {
    pub fn new(
        ctx: &Ctx,
        heading: &str,
        message: &str,
        action: &str,
        token: Option<&str>,
        button: &str,
    ) -> Self {
        ConfirmPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx.t.arg("page-title", "page", heading).into_owned(),
            csrf: ctx.csrf.clone(),
            heading: heading.into(),
            message: message.into(),
            action: action.into(),
            token: token.map(String::from),
            button: button.into(),
        }
    }
}

#[derive(Template)]
#[template(path = "account/reset.html")]
pub struct ResetPage {
    t: Tr,
    chrome: Chrome,
    title: String,
    csrf: String,
    error: Option<String>,
    token: Option<String>,
}

impl ResetPage {
    pub fn new(ctx: &Ctx, token: Option<&str>, error: Option<String>) -> Self {
        ResetPage {
            t: ctx.t,
            chrome: ctx.chrome.clone(),
            title: ctx
                .t
                .arg("page-title", "page", &ctx.t.get("acc-reset-heading"))
                .into_owned(),
            csrf: ctx.csrf.clone(),
            error,
            token: token.map(String::from),
        }
    }
}

#[derive(Template)]
#[template(path = "account/account.html")]
pub struct AccountPage {
    pub t: Tr,
    pub chrome: Chrome,
    pub title: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub email: String,
    pub role: String,
    pub verified: bool,
    pub must_verify: bool,
    pub is_editor: bool,
    pub is_admin: bool,
    pub tokens: Vec<ApiTokenInfo>,
    pub new_token: Option<String>,
    /// Set when bounces stopped the member's newsletters.
    pub bounce: Option<String>,
}
