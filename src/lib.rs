//! sahifa (صحيفة): a self-hosted, Arabic-first news platform in one binary.

pub mod accounts;
pub mod app;
pub mod arabic;
pub mod cli;
pub mod config;
pub mod demo;
pub mod hijri;
pub mod ingest;
pub mod jobs;
pub mod locale;
pub mod mail;
pub mod model;
pub mod newsletter;
pub mod newsroom;
pub mod reader;
pub mod search;
pub mod store;
pub mod stories;
pub mod telemetry;
pub mod understand;
pub mod web;
