//! Words of an article for tagging: the original spelling (for display), a normalised key
//! with attached conjunctions/prepositions before the article folded away (والجيش, للجيش →
//! الجيش), and whether the word follows its neighbour with nothing but spaces between.

use crate::arabic::{normalize, stopwords, tokens};

/// One word of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As written, without the folded clitics.
    pub surface: String,
    /// Normalised, clitics folded.
    pub key: String,
    /// Byte offset of the word in the text.
    pub start: usize,
    /// True when only spaces separate this word from the previous one.
    pub joined: bool,
    /// The quotation («…», “…”, "…") the word is inside, numbered in order.
    pub quote: Option<u32>,
    /// True when a conjunction or preposition was attached (والجيش, لترامب): such a word
    /// starts a phrase and never continues a name.
    pub clitic: bool,
}

/// Folds clitics before the article: وال/فال/بال/كال → ال, لل → ال. Returns the key and
/// how many leading characters were dropped from the word.
pub fn fold_clitics(key: &str) -> (String, usize) {
    for p in ["وال", "فال", "بال", "كال"] {
        if let Some(rest) = key.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            return (format!("ال{rest}"), 1);
        }
    }
    if let Some(rest) = key.strip_prefix("لل")
        && rest.chars().count() >= 3
    {
        return (format!("ال{rest}"), 1);
    }
    (key.to_string(), 0)
}

/// The letters that attach to a word as a conjunction or preposition: و ف ب ل ك.
const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// The word after one attached conjunction or preposition (لترامب → ترامب), when `key`
/// starts with one of their letters; whether it really is one is for the caller to judge.
pub fn strip_proclitic(key: &str) -> Option<&str> {
    key.strip_prefix(PROCLITICS)
}

/// A key without the article when three letters or more remain (الحوثي → حوثي): the form
/// topic slugs and family names are compared in.
pub fn without_article(key: &str) -> &str {
    key.strip_prefix("ال")
        .filter(|rest| rest.chars().count() >= 3)
        .unwrap_or(key)
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut prev_end: Option<usize> = None;
    let mut quote: Option<u32> = None;
    let mut quotes = 0u32;
    for t in tokens(text) {
        for c in text[prev_end.unwrap_or(0)..t.start].chars() {
            match c {
                '«' | '“' => {
                    quote = Some(quotes);
                    quotes += 1;
                }
                '"' if quote.is_none() => {
                    quote = Some(quotes);
                    quotes += 1;
                }
                '»' | '”' | '"' | '\n' => quote = None,
                _ => {}
            }
        }
        let (key, dropped) = fold_clitics(&normalize(t.text));
        if key.is_empty() {
            continue;
        }
        let surface = if dropped == 0 {
            t.text.to_string()
        } else if t.text.starts_with("لل") {
            // ل + ال: the article's alef was elided in writing; put it back.
            format!("ا{}", t.text.get("ل".len()..).unwrap_or(""))
        } else {
            let mut it = t.text.char_indices();
            it.next();
            it.next()
                .map_or(String::new(), |(i, _)| t.text[i..].to_string())
        };
        let joined = prev_end.is_some_and(|e| text[e..t.start].chars().all(char::is_whitespace));
        out.push(Word {
            surface,
            key,
            start: t.start,
            joined,
            quote,
            clitic: dropped > 0,
        });
        prev_end = Some(t.end);
    }
    out
}

/// Whether a key can be part of a tag: Arabic, at least three letters, not a stop word.
pub fn is_content(key: &str) -> bool {
    key.chars().count() >= 3
        && key.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c))
        && !stopwords::is_stopword(key)
        && !stopwords::is_stopword(key.strip_prefix("ال").unwrap_or(key))
}

/// The keys counted in the corpus statistics: content unigrams and joined content bigrams.
pub fn corpus_keys(text: &str) -> Vec<String> {
    let ws = words(text);
    let mut keys = Vec::with_capacity(ws.len() * 2);
    for (i, w) in ws.iter().enumerate() {
        if !is_content(&w.key) {
            continue;
        }
        keys.push(w.key.clone());
        if let Some(n) = ws.get(i + 1)
            && n.joined
            && is_content(&n.key)
        {
            keys.push(format!("{} {}", w.key, n.key));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_clitics_and_keeps_display_spelling() {
        let ws = words("والجيش الليبي، للجيش");
        assert_eq!(ws[0].key, "الجيش");
        assert_eq!(ws[0].surface, "الجيش");
        assert_eq!(ws[1].key, "الليبي");
        assert!(ws[1].joined);
        assert!(!ws[2].joined, "a comma separates them");
        assert_eq!(ws[2].key, "الجيش");
    }

    #[test]
    fn marks_quotations() {
        let ws = words("قال لوكالة «سبوتنيك» الروسية «ننصح الذين» ثم");
        let q: Vec<Option<u32>> = ws.iter().map(|w| w.quote).collect();
        assert_eq!(q, [None, None, Some(0), None, Some(1), Some(1), None]);
    }

    #[test]
    fn corpus_keys_skip_stop_words() {
        let keys = corpus_keys("قال حفتر في موسكو إن الجيش الليبي");
        assert!(keys.contains(&"حفتر".to_string()));
        assert!(keys.contains(&"الجيش الليبي".to_string()));
        assert!(!keys.iter().any(|k| k == "في" || k == "ان"));
    }
}
