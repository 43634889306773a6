//! The HTTP server: the whole route table on one screen.

pub mod account;
pub mod admin;
pub mod admin_sources;
pub mod api;
pub mod api_accounts;
pub mod api_layer;
pub mod auth;
pub mod chrome;
pub mod csrf;
pub mod desk;
pub mod error;
pub mod feeds;
pub mod foryou_api;
pub mod foryou_pages;
pub mod foryou_views;
pub mod front;
pub mod member;
pub mod metrics;
pub mod newsletters;
pub mod newsletters_account;
pub mod newsletters_admin;
pub mod newsletters_api;
pub mod openapi;
pub mod page_cache;
pub mod pages;
pub mod proxy;
pub mod saved;
pub mod search;
pub mod session;
pub mod stories;
pub mod visibility;

use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{delete, get, post, put};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;

/// The Content-Security-Policy of every answer: scripts and styles only from static files
/// of this site (no inline script, style or event handler), no framing, forms post here.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// All routes of sahifa.
pub fn router(state: AppState) -> Router {
    let trusted =
        proxy::TrustedProxies::parse(state.config.trusted_proxies.iter().map(String::as_str))
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "trusted_proxies: trusting no proxy");
                proxy::TrustedProxies::default()
            });
    // Visitors' pages kept whole per node (inside the locale layer, which picks their key).
    let cached = axum::middleware::from_fn_with_state(state.clone(), page_cache::layer);
    Router::new()
        .route("/", get(pages::home).layer(cached.clone()))
        .route(
            "/sections/{slug}",
            get(pages::section).layer(cached.clone()),
        )
        .route(
            "/articles/{source}/{id}",
            get(pages::article).layer(cached.clone()),
        )
        .route("/tags/{slug}", get(pages::tag).layer(cached))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/healthz", get(pages::healthz))
        .route("/feeds/{file}", get(feeds::latest))
        .route("/feeds/sections/{file}", get(feeds::section))
        .route("/feeds/tags/{file}", get(feeds::tag))
        .route("/feeds/sources/{file}", get(feeds::source))
        .route("/metrics", get(metrics::metrics))
        .route("/search", get(search::page))
        .route("/api/v1/search", get(search::api_search))
        .route("/api/v1/articles", get(api::list_articles))
        .route("/api/v1/articles/{source}/{id}", get(api::get_article))
        .route("/api/v1/stories", get(stories::api_list))
        .route("/stories/{id}", get(stories::page))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api/v1/accounts", post(api_accounts::create_account))
        .route("/api/v1/tokens", post(api_accounts::create_token))
        .route(
            "/api/v1/me",
            get(api_accounts::me).put(newsletters_api::put_me),
        )
        .route("/api/v1/newsletters", get(newsletters_api::list))
        .route(
            "/api/v1/newsletters/{slug}/subscription",
            put(newsletters_api::subscribe).delete(newsletters_api::unsubscribe),
        )
        .route(
            "/api/v1/newsletters/{slug}/signups",
            post(newsletters_api::signup),
        )
        .route("/newsletters", get(newsletters::index))
        .route("/newsletters/{slug}", get(newsletters::archive))
        .route("/newsletters/{slug}/signup", post(newsletters::signup))
        .route("/newsletters/{slug}/{edition}", get(newsletters::edition))
        .route(
            "/newsletters/confirm/{token}",
            get(newsletters::confirm_page).post(newsletters::confirm),
        )
        .route(
            "/unsubscribe/{token}",
            get(newsletters::unsubscribe_page).post(newsletters::unsubscribe),
        )
        .route("/account/newsletters", get(newsletters_account::show))
        .route("/account/newsletters/{slug}", post(newsletters::toggle))
        .route("/account/time-zone", post(newsletters::set_time_zone))
        .route("/admin/newsletters", get(newsletters_admin::page))
        .route(
            "/admin/newsletters/{slug}/send",
            post(newsletters_admin::send),
        )
        .route(
            "/desk/breaking/{source}/{id}",
            post(newsletters_admin::breaking),
        )
        .route("/signup", get(auth::signup_form).post(auth::signup))
        .route("/signin", get(auth::signin_form).post(auth::signin))
        .route("/signin/email", post(auth::signin_email))
        .route(
            "/signin/link",
            get(auth::signin_link_page).post(auth::signin_link),
        )
        .route("/signin/code", post(auth::signin_code))
        .route("/signout", get(auth::signout_page).post(auth::signout))
        .route("/verify", get(auth::verify))
        .route("/reset", get(auth::reset_form).post(auth::reset_request))
        .route(
            "/reset/confirm",
            get(auth::reset_confirm_form).post(auth::reset_confirm),
        )
        .route("/account", get(account::show))
        .route("/account/verify", post(account::resend_verification))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/account/email", post(account::change_email))
        .route(
            "/account/email/confirm",
            get(account::confirm_email_page).post(account::confirm_email),
        )
        .route("/account/signout-all", post(account::signout_all))
        .route("/account/export", get(account::export))
        .route("/account/delete", post(account::delete))
        .route("/desk", get(desk::index))
        .route("/desk/new", get(desk::new_form))
        .route("/desk/articles", post(desk::create))
        .route(
            "/desk/edit/{source}/{id}",
            get(desk::edit_form).post(desk::update),
        )
        .route("/desk/labels/{source}/{id}", post(desk::labels))
        .route("/desk/status/{source}/{id}", post(desk::status))
        .route("/desk/pin/{source}/{id}", post(desk::pin))
        .route("/saved", get(saved::list_page))
        .route("/saved/export", get(saved::export_page))
        .route(
            "/saved/{source}/{id}",
            get(saved::item_page).post(saved::form),
        )
        .route("/static/saved.js", get(saved::script))
        .route("/api/v1/saved", get(saved::api::list))
        .route("/api/v1/saved/export", get(saved::api::export))
        .route("/api/v1/saved/import", post(saved::api::import))
        .route(
            "/api/v1/saved/{source}/{id}",
            put(saved::api::put)
                .get(saved::api::get_one)
                .delete(saved::api::delete),
        )
        .route(
            "/api/v1/saved/{source}/{id}/refresh",
            post(saved::api::refresh),
        )
        .route(
            "/desk/delete/{source}/{id}",
            get(desk::delete_form).post(desk::delete),
        )
        .route("/admin/members", get(admin::members))
        .route("/admin/members/{uid}/role", post(admin::set_role))
        .route("/admin/settings", post(admin::settings))
        .route(
            "/admin/sources",
            get(admin_sources::index).post(admin_sources::add),
        )
        .route("/admin/sources/{name}/poll", post(admin_sources::poll_now))
        .route("/admin/sources/{name}/remove", post(admin_sources::remove))
        .route("/for-you", get(foryou_pages::for_you))
        .route("/for-you/feedback", post(foryou_pages::feedback))
        .route("/follows", post(foryou_pages::follow_form))
        .route("/sources/{name}", get(foryou_pages::source))
        .route("/account/follows", get(foryou_pages::follows_page))
        .route("/account/follows/unhide", post(foryou_pages::unhide))
        .route("/account/history/clear", post(foryou_pages::clear_history))
        .route("/static/foryou.js", get(foryou_pages::script))
        .route(
            "/api/v1/follows",
            get(foryou_api::follows).post(foryou_api::follow),
        )
        .route(
            "/api/v1/follows/{kind}/{value}",
            delete(foryou_api::unfollow),
        )
        .route("/api/v1/events", post(foryou_api::event))
        .route("/api/v1/feed", get(foryou_api::feed))
        .fallback(pages::not_found)
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // JSON errors, 415 and no-store under /api/v1/ (inside the headers every answer gets).
        .layer(axum::middleware::from_fn(api_layer::api_layer))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // gzip at its fastest level: most of the size gain for a fraction of the time
        // (the default level cost a search answer more than the search itself).
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            chrome::locale_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_responses,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(axum::Extension(std::sync::Arc::new(trusted)))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(state: AppState) -> anyhow::Result<()> {
    proxy::TrustedProxies::parse(state.config.trusted_proxies.iter().map(String::as_str))
        .map_err(anyhow::Error::msg)
        .context("trusted_proxies")?;
    serve_until(state, shutdown_signal()).await
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve_until(
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = state.config.addr.clone();
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!("sahifa listening on http://{}", listener.local_addr()?);
    let _follower = crate::search::spawn_follower(state.search.clone(), state.store.clone());
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("serving HTTP")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
