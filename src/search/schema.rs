//! The index schema and the analyzer registered as tantivy tokenizers.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, OwnedValue, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::arabic::{self, MAX_TOKEN_BYTES, stem, stopwords};

/// Bumped whenever the schema or the analyzer changes: an index written by another version
/// is rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 3;

/// Tokenizer of the indexed text fields: their text is analysed up front ([`Analysed`]),
/// so the tokenizer only splits terms.
pub const TERMS: &str = "ar_terms";

/// The fields, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `source \u{1f} id`: the identity, for replacing and deleting (indexed, not stored).
    pub key: Field,
    pub source: Field,
    pub id: Field,
    pub section: Field,
    /// Sort time (published, else imported) in Unix ms.
    pub time: Field,
    /// Stored originals, for hits and snippets.
    pub title: Field,
    pub subtitle: Field,
    pub body: Field,
    /// Title alone, stemmed (ranked with extra weight).
    pub title_stem: Field,
    /// Title + subtitle + body, stemmed (frequencies only: phrases use the exact field).
    pub text_stem: Field,
    /// Title + subtitle + body, normalised and unstemmed, with positions.
    pub text_exact: Field,
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Every indexed text field holds pre-analysed terms; only the exact field needs
    // positions (phrases).
    let indexed = |record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TERMS)
                .set_index_option(record),
        )
    };
    let stored = TextOptions::default().set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        source: b.add_text_field("source", STRING | STORED),
        id: b.add_text_field("id", STORED),
        section: b.add_text_field("section", STRING),
        time: b.add_i64_field("time", INDEXED | FAST | STORED),
        title: b.add_text_field("title", stored.clone()),
        subtitle: b.add_text_field("subtitle", stored.clone()),
        body: b.add_text_field("body", stored),
        title_stem: b.add_text_field("title_stem", indexed(IndexRecordOption::WithFreqs)),
        text_stem: b.add_text_field("text_stem", indexed(IndexRecordOption::WithFreqs)),
        text_exact: b.add_text_field(
            "text_exact",
            indexed(IndexRecordOption::WithFreqsAndPositions),
        ),
    };
    (b.build(), fields)
}

/// Positions left empty between title, subtitle and body, so that a phrase never matches
/// across their boundary.
const PART_GAP: usize = 2;

/// In a pre-analysed text, a "word" that only moves the position on (a gap, or a token too
/// long to index).
const GAP: char = '\u{1}';

/// An article's text analysed once for all the indexed text fields, as space-separated
/// terms that the [`TERMS`] tokenizer only has to split. Analysing once (instead of tantivy
/// running the analyzer once per field) and passing plain text (tantivy serialises its own
/// pre-tokenized values as JSON) is what makes indexing fast.
#[derive(Debug, Default)]
pub struct Analysed {
    /// Stems of the title (stop words removed).
    pub title_stem: String,
    /// Stems of title, subtitle and body (stop words removed).
    pub text_stem: String,
    /// Normalised words of title, subtitle and body, stop words left out, with [`GAP`]s
    /// that keep phrase positions (for stop words, long tokens and between parts).
    pub text_exact: String,
}

impl Analysed {
    /// Analyses the parts of an article (title first), in order.
    pub fn of<'a>(parts: impl IntoIterator<Item = &'a str>) -> Analysed {
        let mut out = Analysed::default();
        let mut norm = String::new();
        let push_term = |into: &mut String, term: &str| {
            if !into.is_empty() {
                into.push(' ');
            }
            into.push_str(term);
        };
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                for _ in 0..PART_GAP {
                    push_term(&mut out.text_exact, "\u{1}");
                }
            }
            norm.clear();
            arabic::normalize_into(part, &mut norm);
            for t in arabic::tokens(&norm) {
                if t.text.len() > MAX_TOKEN_BYTES {
                    push_term(&mut out.text_exact, "\u{1}");
                    continue;
                }
                if stopwords::is_stopword(t.text) {
                    // Only its position: phrases skip stop words by offset, and the
                    // exact field's longest posting lists would be theirs.
                    push_term(&mut out.text_exact, "\u{1}");
                    continue;
                }
                push_term(&mut out.text_exact, t.text);
                let before = out.text_stem.len();
                if before > 0 {
                    out.text_stem.push(' ');
                }
                let start = out.text_stem.len();
                stem::stem_into(t.text, &mut out.text_stem);
                if out.text_stem.len() == start {
                    out.text_stem.truncate(before);
                } else if i == 0 {
                    push_term(&mut out.title_stem, &out.text_stem[start..]);
                }
            }
        }
        out
    }
}

/// An article as a tantivy document. Its indexed text fields are analysed ([`Analysed`])
/// when tantivy first reads the document, on tantivy's own indexing threads: analysis then
/// overlaps with whatever the caller does next (an import stores its next batch), and those
/// long-lived threads keep their stem caches warm.
pub struct ArticleDoc {
    /// Stored and plain fields: key, source, id, time, title, section, subtitle, body.
    values: Vec<(Field, OwnedValue)>,
    fields: Fields,
    analysed: std::sync::OnceLock<[(Field, OwnedValue); 3]>,
}

impl ArticleDoc {
    /// A document of `values` (title, subtitle and body are read from them for analysis).
    pub fn new(values: Vec<(Field, OwnedValue)>, fields: Fields) -> ArticleDoc {
        ArticleDoc {
            values,
            fields,
            analysed: std::sync::OnceLock::new(),
        }
    }

    fn text(&self, field: Field) -> Option<&str> {
        self.values.iter().find_map(|(f, v)| match v {
            OwnedValue::Str(s) if *f == field => Some(s.as_str()),
            _ => None,
        })
    }

    fn analysed(&self) -> &[(Field, OwnedValue); 3] {
        self.analysed.get_or_init(|| {
            let f = &self.fields;
            let parts = [f.title, f.subtitle, f.body]
                .into_iter()
                .filter_map(|field| self.text(field));
            let a = Analysed::of(parts);
            [
                (f.title_stem, OwnedValue::Str(a.title_stem)),
                (f.text_stem, OwnedValue::Str(a.text_stem)),
                (f.text_exact, OwnedValue::Str(a.text_exact)),
            ]
        })
    }
}

impl tantivy::Document for ArticleDoc {
    type Value<'a> = &'a OwnedValue;
    type FieldsValuesIter<'a> = Box<dyn Iterator<Item = (Field, &'a OwnedValue)> + 'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        Box::new(
            self.values
                .iter()
                .chain(self.analysed().iter())
                .map(|(f, v)| (*f, v)),
        )
    }
}

/// Registers the [`TERMS`] tokenizer.
pub fn register(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(TERMS, TermsTokenizer::default());
}

/// Splits pre-analysed text (terms separated by single spaces, [`GAP`] for a skipped
/// position) into tokens, reusing one token buffer.
#[derive(Clone, Debug, Default)]
pub struct TermsTokenizer {
    token: Token,
}

/// Tokens of one pre-analysed text.
pub struct TermsStream<'a> {
    text: &'a str,
    /// Byte offset of the next term.
    at: usize,
    token: &'a mut Token,
    position: usize,
}

impl Tokenizer for TermsTokenizer {
    type TokenStream<'a> = TermsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TermsStream<'a> {
        self.token.reset();
        TermsStream {
            text,
            at: 0,
            token: &mut self.token,
            position: 0,
        }
    }
}

impl TokenStream for TermsStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            // Terms are short: a plain scan for the space beats a memchr call per term.
            let start = self.at;
            let end = bytes[start..]
                .iter()
                .position(|&b| b == b' ')
                .map_or(bytes.len(), |i| start + i);
            self.at = end + 1;
            if end == start {
                continue;
            }
            let term = &self.text[start..end];
            let position = self.position;
            self.position += 1;
            if term.starts_with(GAP) {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(term);
            self.token.position = position;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(usize, String)> {
        let mut t = TermsTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().position, s.token().text.clone()));
        }
        out
    }

    #[test]
    fn one_analysis_feeds_every_field_with_phrase_positions() {
        let a = Analysed::of(["الجيشُ الليبيّ", "", "في بنغازي"]);
        assert_eq!(
            a.title_stem,
            format!("{} {}", stem::stem("الجيش"), stem::stem("الليبي"))
        );
        assert_eq!(
            a.text_stem,
            format!("{} {}", a.title_stem, stem::stem("بنغازي")),
            "stop words are not stemmed terms"
        );
        let exact = split(&a.text_exact);
        let words: Vec<&str> = exact.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["الجيش", "الليبي", "بنغازي"], "no stop words");
        // Adjacent inside a part; a gap between parts, so no phrase spans title and body;
        // the stop word keeps its position.
        assert_eq!(exact[1].0, exact[0].0 + 1);
        assert!(exact[2].0 > exact[1].0 + 2);
        let body = split(&Analysed::of(["في بنغازي"]).text_exact);
        assert_eq!(body, [(1, "بنغازي".to_string())]);
    }

    #[test]
    fn long_tokens_keep_their_position_but_are_not_indexed() {
        let long = "ب".repeat(MAX_TOKEN_BYTES);
        let a = Analysed::of([format!("ليبيا {long} بنغازي").as_str()]);
        let exact = split(&a.text_exact);
        assert_eq!(exact.len(), 2);
        assert_eq!(exact[1].0, exact[0].0 + 2);
    }
}
