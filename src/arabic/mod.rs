//! The one Arabic analyzer used by search, classification and personalization:
//! normalization, tokenization, stop words and light stemming.

pub mod normalize;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

pub use normalize::{Mapped, normalize, normalize_into, normalize_mapped};
pub use tokenize::{Token, tokens, word_around};

/// Tokens longer than this (in bytes) are not words (base64, URLs run together) and are
/// dropped: they would only bloat the index.
pub const MAX_TOKEN_BYTES: usize = 120;

/// The analyzer: text in, index terms out (normalised, stop words removed, stemmed).
#[derive(Debug, Default, Clone, Copy)]
pub struct Analyzer;

impl Analyzer {
    /// Index terms of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let norm = normalize(text);
        tokens(&norm)
            .filter(|t| t.text.len() <= MAX_TOKEN_BYTES && !stopwords::is_stopword(t.text))
            .map(|t| stem::stem(t.text))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Normalised tokens without stemming (for exact and phrase matching), stop words kept.
    pub fn exact_terms(&self, text: &str) -> Vec<String> {
        let norm = normalize(text);
        tokens(&norm)
            .filter(|t| t.text.len() <= MAX_TOKEN_BYTES)
            .map(|t| t.text.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_stop_words_and_stem() {
        let a = Analyzer;
        assert_eq!(a.terms("ما هي عاصمة ليبيا؟"), a.terms("عاصمة الليبية"));
        assert_eq!(a.exact_terms("الجيشُ الليبيّ"), vec!["الجيش", "الليبي"]);
        assert!(a.terms("").is_empty());
        assert!(a.terms("؟!…").is_empty());
    }
}

#[cfg(test)]
mod variants;
