//! The one Arabic analyzer used by search, classification and personalization:
//! normalization, tokenization, stop words and light stemming.

pub mod normalize;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

pub use normalize::normalize;
pub use tokenize::{Token, tokens};

/// The analyzer: text in, index terms out (normalised, stop words removed, stemmed).
#[derive(Debug, Default, Clone, Copy)]
pub struct Analyzer;

impl Analyzer {
    /// Index terms of `text`, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        let norm = normalize(text);
        tokens(&norm)
            .filter(|t| !stopwords::is_stopword(t.text))
            .map(|t| stem::stem(t.text))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Normalised tokens without stemming (for exact and phrase matching), stop words kept.
    pub fn exact_terms(&self, text: &str) -> Vec<String> {
        let norm = normalize(text);
        tokens(&norm).map(|t| t.text.to_string()).collect()
    }
}
