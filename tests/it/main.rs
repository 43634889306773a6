//! The one integration test binary: the real router, the real binary, real databases.

mod a11y;
mod accounts_support;
mod feed_server;
mod helpers;
mod jobs_support;
mod saved_support;

mod accounts;
mod accounts_api;
mod accounts_browser;
mod accounts_desk;
mod accounts_lifecycle;
mod accounts_logs;
mod accounts_security;
mod api;
mod feeds;
mod follow;
mod headers;
mod import;
mod jobs;
mod jobs_process;
mod links;
mod locale;
mod metrics;
mod overload;
mod pages;
mod published;
mod saved;
mod saved_browser;
mod saved_flows;
mod search;
mod sources;
mod sources_cli;
mod store;
mod understand;
mod withdrawn;
