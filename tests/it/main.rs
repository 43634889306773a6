//! The one integration test binary: the real router, the real binary, real databases.

mod helpers;

mod api;
mod import;
mod pages;
mod search;
mod store;
mod understand;
