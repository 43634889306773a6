//! Light stemming around the Snowball Arabic stemmer.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;

static SNOWBALL: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Arabic));

/// The stem of one normalised token.
pub fn stem(token: &str) -> String {
    if token.chars().count() <= 2
        || !token
            .chars()
            .any(|c| ('\u{0621}'..='\u{064A}').contains(&c))
    {
        return token.to_string();
    }
    SNOWBALL.stem(token).into_owned()
}
