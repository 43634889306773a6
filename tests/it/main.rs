//! The one integration test binary: the real router, the real binary, real databases.

mod a11y;
mod accounts_support;
mod foryou_support;
mod helpers;
mod jobs_support;

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
mod foryou;
mod foryou_browser;
mod foryou_feed;
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
mod search;
mod store;
mod understand;
mod withdrawn;
