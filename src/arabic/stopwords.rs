//! Arabic stop words (in normalised form): function words and question words.

use rustc_hash::FxHashSet;
use std::sync::LazyLock;

/// Looked up for every token: hashed with FxHash, not SipHash.
static STOPWORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::normalize;

    #[test]
    fn question_and_function_words_are_stop_words() {
        for w in [
            "ماذا",
            "متى",
            "كيف",
            "لماذا",
            "من",
            "هو",
            "إلى",
            "على",
            "التي",
        ] {
            assert!(is_stopword(&normalize(w)), "{w}");
        }
        for w in ["ليبيا", "الجيش", "كتاب"] {
            assert!(!is_stopword(&normalize(w)), "{w}");
        }
    }
}
