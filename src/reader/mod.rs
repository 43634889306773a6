//! Use-cases of a member as a reader: saved articles (and, from the For-you work, follows,
//! signals and the feed); and article removal, which saved copies outlive.

pub mod cli;
pub mod remove;
pub mod saved;
