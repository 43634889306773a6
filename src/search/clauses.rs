//! The tantivy queries of a parsed query: the first phase (what matches, ranked by stems
//! and phrases, with the filters) and the boosts that re-score the best candidates.

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::query::{EXACT_WEIGHT, ParsedQuery, TITLE_WEIGHT};
use super::schema::Fields;
use crate::arabic::stopwords;

/// Filters applied on top of the text query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub section: Option<String>,
    pub source: Option<String>,
    /// Inclusive bounds on the sort time, Unix ms.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn filter(q: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

/// The first-phase query for `parsed` and `filters`: it decides which articles match and
/// ranks them by their stemmed words (and phrases); `None` when nothing positive is asked
/// for. The best of them are then re-scored with [`boosts`].
pub fn build(parsed: &ParsedQuery, filters: &Filters, f: &Fields) -> Option<Box<dyn Query>> {
    if parsed.is_empty() {
        return None;
    }
    let stems: Vec<(Occur, Box<dyn Query>)> = parsed
        .stems
        .iter()
        .map(|s| {
            (
                Occur::Should,
                term_query(Term::from_field_text(f.text_stem, s)),
            )
        })
        .collect();
    let plain_words = parsed.phrases.is_empty()
        && parsed.excluded.is_empty()
        && filters.section.is_none()
        && filters.source.is_none()
        && filters.from_ms.is_none()
        && filters.to_ms.is_none();
    if plain_words {
        // The common case, free words only: one flat disjunction of term queries, which
        // tantivy ranks with block-max WAND (a nested boolean would score every match).
        return Some(Box::new(BooleanQuery::new(stems)));
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !stems.is_empty() {
        // With a phrase, the free words only rank; without one, one of them must match.
        let occur = if parsed.phrases.is_empty() {
            Occur::Must
        } else {
            Occur::Should
        };
        clauses.push((occur, Box::new(BooleanQuery::new(stems))));
    }
    for p in &parsed.phrases {
        // Stop words are not indexed in the exact field, only their positions are kept:
        // the other words must stand at their offsets.
        let mut terms: Vec<(usize, Term)> = p
            .iter()
            .enumerate()
            .filter(|(_, w)| !stopwords::is_stopword(w))
            .map(|(i, w)| (i, Term::from_field_text(f.text_exact, w)))
            .collect();
        let q: Box<dyn Query> = match terms.len() {
            0 => continue,
            1 => term_query(terms.remove(0).1),
            _ => Box::new(PhraseQuery::new_with_offset(terms)),
        };
        clauses.push((Occur::Must, q));
    }
    for x in &parsed.excluded {
        clauses.push((
            Occur::MustNot,
            term_query(Term::from_field_text(f.text_stem, x)),
        ));
    }
    if let Some(s) = &filters.section {
        clauses.push(filter(term_query(Term::from_field_text(f.section, s))));
    }
    if let Some(s) = &filters.source {
        clauses.push(filter(term_query(Term::from_field_text(f.source, s))));
    }
    if filters.from_ms.is_some() || filters.to_ms.is_some() {
        use std::ops::Bound;
        let bound = |v: Option<i64>| match v {
            Some(ms) => Bound::Included(Term::from_field_i64(f.time, ms)),
            None => Bound::Unbounded,
        };
        clauses.push(filter(Box::new(RangeQuery::new(
            bound(filters.from_ms),
            bound(filters.to_ms),
        ))));
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Second-phase clauses, each added to the score of a first-phase hit that has it: the
/// common stems left out of the first phase, the stemmed word in the title (title
/// weighting) and the word written as in the query (an exact form ranks above another word
/// of the same stem). Kept out of the first phase because each clause costs every
/// candidate article, while re-scoring costs only the best few.
pub fn boosts(parsed: &ParsedQuery, f: &Fields) -> Vec<Box<dyn Query>> {
    let common = parsed
        .common
        .iter()
        .map(|s| term_query(Term::from_field_text(f.text_stem, s)));
    let title = parsed.stems.iter().chain(&parsed.common).map(|s| {
        Box::new(BoostQuery::new(
            term_query(Term::from_field_text(f.title_stem, s)),
            TITLE_WEIGHT,
        )) as Box<dyn Query>
    });
    let exact = parsed.exact.iter().map(|e| {
        Box::new(BoostQuery::new(
            term_query(Term::from_field_text(f.text_exact, e)),
            EXACT_WEIGHT,
        )) as Box<dyn Query>
    });
    common.chain(title).chain(exact).collect()
}
