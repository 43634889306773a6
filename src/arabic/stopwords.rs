//! Arabic stop words (in normalised form).

use std::collections::HashSet;
use std::sync::LazyLock;

static STOPWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Whether a normalised token is a stop word.
pub fn is_stopword(token: &str) -> bool {
    STOPWORDS.contains(token)
}
