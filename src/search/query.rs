//! User query syntax, parsed into stems, exact forms, phrases and exclusions; `clauses.rs`
//! turns it into a tantivy query, built programmatically (user text never reaches tantivy's
//! query parser). Syntax: words, `"quoted phrases"` (also «»
//! and “”), `-word` to exclude. Anything else is text: `title:`, `*`, `(` are just characters.

use std::collections::BTreeSet;

use crate::arabic::{Analyzer, stopwords};

/// Longest query text considered, in bytes (the rest is ignored).
pub const MAX_QUERY_BYTES: usize = 1024;
/// Most terms of each kind taken from one query.
pub const MAX_TERMS: usize = 32;

/// Weight of the stemmed title field relative to the stemmed text field.
pub(super) const TITLE_WEIGHT: f32 = 0.5;
/// Weight of exact (unstemmed) matches: a word written as in the query ranks higher than
/// another word of the same stem.
pub(super) const EXACT_WEIGHT: f32 = 0.5;

/// Share of the indexed articles above which a query stem is common (see
/// [`ParsedQuery::split_common`]).
pub const COMMON_SHARE: f64 = 0.1;
/// Smallest index whose common stems are moved out of the first phase.
pub const COMMON_MIN_DOCS: u64 = 1_000;

/// A parsed query: what to rank by, what is required, what is excluded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Stems of the free words (stop words removed).
    pub stems: Vec<String>,
    /// Normalised free words (stop words removed), for the exact field.
    pub exact: Vec<String>,
    /// Required phrases, as normalised words (stop words kept for their positions; a
    /// phrase has at least one other word).
    pub phrases: Vec<Vec<String>>,
    /// Stems that must not occur.
    pub excluded: Vec<String>,
    /// Stems that most articles hold, moved out of the first phase by
    /// [`ParsedQuery::split_common`]: they only add to the scores of the best candidates.
    pub common: Vec<String>,
}

impl ParsedQuery {
    /// Whether nothing positive is asked for (such a query finds nothing).
    pub fn is_empty(&self) -> bool {
        self.stems.is_empty() && self.phrases.is_empty() && self.common.is_empty()
    }

    /// The query with the stems held by more than [`COMMON_SHARE`] of the `docs` indexed
    /// articles (`doc_freq` counts them) moved to [`ParsedQuery::common`], as long as a
    /// rarer stem that some article holds stays to match on (as Lucene's common-terms
    /// query does). Such a stem weighs little in BM25 but its long posting list is most
    /// of what ranking reads; re-scoring still adds it to the best candidates. Indexes
    /// under [`COMMON_MIN_DOCS`] articles are left alone.
    pub fn split_common(&self, docs: u64, doc_freq: impl Fn(&str) -> u64) -> ParsedQuery {
        let mut out = self.clone();
        if docs < COMMON_MIN_DOCS || self.stems.len() < 2 {
            return out;
        }
        let limit = (docs as f64 * COMMON_SHARE) as u64;
        let dfs: Vec<u64> = self.stems.iter().map(|s| doc_freq(s)).collect();
        if !dfs.iter().any(|&df| df > 0 && df <= limit) {
            return out;
        }
        out.stems.clear();
        for (s, df) in self.stems.iter().zip(dfs) {
            if df > limit {
                out.common.push(s.clone());
            } else {
                out.stems.push(s.clone());
            }
        }
        out
    }

    /// The same query with its phrases loosened into free words (used when no article
    /// holds a phrase exactly, as when a question quotes a title in other words).
    pub fn relaxed(&self) -> ParsedQuery {
        let a = Analyzer;
        let mut r = ParsedQuery {
            phrases: Vec::new(),
            ..self.clone()
        };
        for p in &self.phrases {
            let text = p.join(" ");
            push_unique(&mut r.stems, a.terms(&text));
            push_unique(
                &mut r.exact,
                p.iter().filter(|t| !stopwords::is_stopword(t)).cloned(),
            );
        }
        r
    }

    /// Stems and normalised words a snippet should highlight.
    pub fn highlight_terms(&self) -> (BTreeSet<String>, BTreeSet<String>) {
        let stems = self.stems.iter().chain(&self.common).cloned().collect();
        let exact = self.phrases.iter().flatten().cloned().collect();
        (stems, exact)
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '»' | '“' | '”' | '„' | '＂')
}

fn push_unique(into: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for t in items {
        if into.len() < MAX_TERMS && !into.contains(&t) {
            into.push(t);
        }
    }
}

/// Parses user query text. Never fails: unbalanced quotes are ignored, unknown syntax is text.
pub fn parse(q: &str) -> ParsedQuery {
    let a = Analyzer;
    let q = &q[..q.floor_char_boundary(MAX_QUERY_BYTES)];
    let quotes = q.chars().filter(|c| is_quote(*c)).count();
    // Quotes pair up in order; an odd last one opens nothing.
    let usable_quotes = quotes - quotes % 2;
    let mut parsed = ParsedQuery::default();
    let mut free = String::new();
    let mut phrase = String::new();
    let mut in_phrase = false;
    let mut seen_quotes = 0;
    for c in q.chars() {
        if is_quote(c) && seen_quotes < usable_quotes {
            seen_quotes += 1;
            if in_phrase {
                let words = a.exact_terms(&phrase);
                let searchable = words.iter().any(|w| !stopwords::is_stopword(w));
                if searchable && parsed.phrases.len() < MAX_TERMS {
                    parsed
                        .phrases
                        .push(words.into_iter().take(MAX_TERMS).collect());
                }
                phrase.clear();
            }
            in_phrase = !in_phrase;
            free.push(' ');
        } else if in_phrase {
            phrase.push(c);
        } else {
            free.push(c);
        }
    }
    for word in free.split_whitespace() {
        if let Some(neg) = word.strip_prefix(['-', '\u{2212}']) {
            push_unique(&mut parsed.excluded, a.terms(neg));
        } else {
            push_unique(&mut parsed.stems, a.terms(word));
            push_unique(
                &mut parsed.exact,
                a.exact_terms(word)
                    .into_iter()
                    .filter(|t| !stopwords::is_stopword(t)),
            );
        }
    }
    parsed
}

pub use super::clauses::{Filters, boosts, build};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::stem::stem;
    use proptest::prelude::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let p = parse("ما هي عاصمة ليبيا \"الجيش الليبي\" -بنغازي");
        assert_eq!(p.stems, vec![stem("عاصمه"), stem("ليبيا")]);
        assert_eq!(p.exact, vec!["عاصمه", "ليبيا"]);
        assert_eq!(p.phrases, vec![vec!["الجيش".to_string(), "الليبي".into()]]);
        assert_eq!(p.excluded, vec![stem("بنغازي")]);
    }

    #[test]
    fn common_stems_move_to_the_second_phase_while_a_rarer_one_stays() {
        let p = parse("الحكومة الليبية بنغازي");
        let (gov, libya, benghazi) = (stem("الحكومه"), stem("الليبيه"), stem("بنغازي"));
        let df = |s: &str| match s {
            s if s == gov => 1_500,
            s if s == libya => 40,
            _ => 0,
        };
        let split = p.split_common(10_000, df);
        assert_eq!(split.stems, vec![libya.clone(), benghazi.clone()]);
        assert_eq!(split.common, vec![gov.clone()]);
        assert_eq!(split.highlight_terms().0.len(), 3, "all still highlighted");
        // Nothing rarer that any article holds: the query is left whole.
        let only_common = parse("الحكومة بنغازي").split_common(10_000, df);
        assert!(only_common.common.is_empty());
        // Small indexes are left alone.
        assert!(p.split_common(500, df).common.is_empty());
    }

    #[test]
    fn unbalanced_quotes_and_syntax_are_plain_text() {
        let p = parse("\"الجيش الليبي");
        assert!(p.phrases.is_empty());
        assert_eq!(p.exact, vec!["الجيش", "الليبي"]);
        let p = parse("title:ليبيا AND (x* OR y)");
        assert!(p.exact.contains(&"title".to_string()));
        assert!(p.exact.contains(&"ليبيا".to_string()));
        assert!(parse("-").is_empty());
        assert!(parse("؟؟ !!").is_empty());
        assert!(parse("ما هو").is_empty(), "only stop words");
        let p = parse("«الجيش الليبي»");
        assert_eq!(p.phrases.len(), 1);
    }

    #[test]
    fn long_queries_are_bounded() {
        let q = "كلمة".repeat(5000);
        let p = parse(&q);
        assert!(p.stems.len() <= MAX_TERMS);
        let many: String = (0..500).map(|i| format!("w{i} ")).collect();
        let p = parse(&many);
        assert_eq!(p.stems.len(), MAX_TERMS);
    }

    fn any_query() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_string()),
            Just("-".to_string()),
            Just(" ".to_string()),
            Just("«".to_string()),
            Just("title:".to_string()),
            Just("*".to_string()),
            Just("(".to_string()),
            Just("ليبيا".to_string()),
            Just("الجيش".to_string()),
            Just("ما".to_string()),
            "[\\u{0600}-\\u{06FF}]{1,6}",
            "\\PC{1,8}",
            any::<String>(),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parsing_and_building_never_panic(q in any_query()) {
            let (_, fields) = super::super::schema::build();
            let p = parse(&q);
            prop_assert!(p.stems.len() <= MAX_TERMS && p.exact.len() <= MAX_TERMS);
            prop_assert!(p.excluded.len() <= MAX_TERMS && p.phrases.len() <= MAX_TERMS);
            prop_assert!(p.phrases.iter().all(|ph| ph.iter().any(|w| !stopwords::is_stopword(w))));
            prop_assert!(p.stems.iter().chain(&p.exact).all(|t| !t.is_empty()));
            let built = build(&p, &Filters::default(), &fields);
            prop_assert_eq!(built.is_none(), p.is_empty());
        }

        #[test]
        fn free_words_are_found_whatever_surrounds_them(pre in any_query(), post in any_query()) {
            // A word between spaces, outside any phrase, is searched for whatever comes
            // before or after it: `pre` is cut to leave room for it and given an even
            // number of quotes (so the word is not inside a phrase); `post` is anything,
            // odd quotes included.
            let mut pre = pre[..pre.floor_char_boundary(MAX_QUERY_BYTES - 64)].to_string();
            if pre.chars().filter(|c| is_quote(*c)).count() % 2 == 1 {
                pre.push('"');
            }
            let q = format!("{pre} ليبيا {post}");
            let p = parse(&q);
            let before = parse(&pre).stems;
            prop_assert!(
                p.stems.contains(&stem("ليبيا")) || before.len() == MAX_TERMS,
                "{q:?} parsed as {p:?}"
            );
            // What came before is kept, in order, in front of it.
            prop_assert_eq!(&p.stems[..before.len()], &before[..]);
        }
    }
}
