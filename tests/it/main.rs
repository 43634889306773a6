//! The one integration test binary: the real router, the real binary, real databases.

mod accounts_support;
mod foryou_support;
mod helpers;

mod accounts;
mod accounts_api;
mod accounts_browser;
mod accounts_desk;
mod accounts_lifecycle;
mod accounts_logs;
mod accounts_security;
mod api;
mod foryou;
mod foryou_feed;
mod import;
mod metrics;
mod pages;
mod published;
mod search;
mod store;
mod understand;
