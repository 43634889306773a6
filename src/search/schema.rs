//! The index schema and the analyzer registered as tantivy tokenizers.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::arabic::{self, MAX_TOKEN_BYTES, stem, stopwords};

/// Bumped whenever the schema or the analyzer changes: an index written by another version
/// is rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 1;

/// Tokenizer name of stemmed fields.
pub const STEMMED: &str = "ar_stem";
/// Tokenizer name of exact (normalised, unstemmed) fields.
pub const EXACT: &str = "ar_exact";

/// The fields, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// `source \u{1f} id`: the identity, for replacing and deleting.
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
    /// Title + subtitle + body, stemmed and exact.
    pub text_stem: Field,
    pub text_exact: Field,
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let stored = TextOptions::default().set_stored();
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        source: b.add_text_field("source", STRING | STORED),
        id: b.add_text_field("id", STORED),
        section: b.add_text_field("section", STRING),
        time: b.add_i64_field("time", INDEXED | FAST | STORED),
        title: b.add_text_field("title", stored.clone()),
        subtitle: b.add_text_field("subtitle", stored.clone()),
        body: b.add_text_field("body", stored),
        title_stem: b.add_text_field(
            "title_stem",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(STEMMED)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        text_stem: b.add_text_field("text_stem", indexed(STEMMED)),
        text_exact: b.add_text_field("text_exact", indexed(EXACT)),
    };
    (b.build(), fields)
}

/// Registers the analyzer under [`STEMMED`] and [`EXACT`].
pub fn register(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(STEMMED, ArabicTokenizer { stemmed: true });
    index
        .tokenizers()
        .register(EXACT, ArabicTokenizer { stemmed: false });
}

/// The Arabic analyzer as a tantivy tokenizer. Positions count every word (stop words too),
/// so phrase positions agree between the two fields.
#[derive(Clone, Debug)]
pub struct ArabicTokenizer {
    pub stemmed: bool,
}

/// Tokens of one text, produced up front.
pub struct ArabicTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream {
        let norm = arabic::normalize(text);
        let mut tokens = Vec::new();
        for (position, t) in arabic::tokens(&norm).enumerate() {
            if t.text.len() > MAX_TOKEN_BYTES {
                continue;
            }
            let text = if self.stemmed {
                if stopwords::is_stopword(t.text) {
                    continue;
                }
                stem::stem(t.text)
            } else {
                t.text.to_string()
            };
            // Offsets are those of the normalised text; snippets re-analyse the original.
            tokens.push(Token {
                offset_from: t.start,
                offset_to: t.end,
                position,
                text,
                position_length: 1,
            });
        }
        ArabicTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ArabicTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
