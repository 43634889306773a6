//! Running a search: the ranked first phase, the re-scoring of the best candidates, exact
//! counts up to a cap, date-sorted pages, and the hits with their snippets.

use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{TantivyDocument, Value};
use tantivy::{Order, Term};

use super::schema::Fields;
use super::{
    COUNT_LIMIT, Hit, MAX_LIMIT, MAX_OFFSET, ParsedQuery, RESCORE_DEPTH, SearchIndex,
    SearchRequest, SearchResults, Sort, query, snippet,
};

impl SearchIndex {
    /// Ids of the best `req.limit` hits, best first, without snippets (for evaluation).
    pub fn ranked_ids(&self, req: &SearchRequest) -> anyhow::Result<Vec<String>> {
        let mut parsed = query::parse(&req.q);
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let mut found = Vec::new();
        for _ in 0..2 {
            let ranked = split_common(&searcher, &parsed, f);
            let Some(q) = query::build(&ranked, &req.filters, f) else {
                return Ok(Vec::new());
            };
            found = top_ranked(&searcher, q.as_ref(), &ranked, f, 0, req.limit.max(1))?;
            if !found.is_empty() || parsed.phrases.is_empty() {
                break;
            }
            parsed = parsed.relaxed();
        }
        let mut out = Vec::new();
        for (_, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
                out.push(id.to_string());
            }
        }
        Ok(out)
    }

    /// Runs a search (blocking; cheap enough to run on the async runtime for small pages,
    /// callers on hot paths may use `spawn_blocking`).
    pub fn search(&self, req: &SearchRequest) -> anyhow::Result<SearchResults> {
        let parsed = query::parse(&req.q);
        let results = self.search_parsed(req, &parsed)?;
        if results.total == 0 && !parsed.phrases.is_empty() {
            let mut loose = self.search_parsed(req, &parsed.relaxed())?;
            loose.relaxed = true;
            return Ok(loose);
        }
        Ok(results)
    }

    fn search_parsed(
        &self,
        req: &SearchRequest,
        parsed: &ParsedQuery,
    ) -> anyhow::Result<SearchResults> {
        let f = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        // Ranked by relevance, common words only re-score, so an article holding nothing
        // but common words of the query is not a match; sorted by date, every word selects.
        let ranked = match req.sort {
            Sort::Relevance => split_common(&searcher, parsed, f),
            Sort::Date => parsed.clone(),
        };
        let Some(q) = query::build(&ranked, &req.filters, f) else {
            return Ok(SearchResults::default());
        };
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let offset = req.offset.min(MAX_OFFSET);
        let found: Vec<(f32, tantivy::DocAddress)>;
        let (total, total_exact);
        match req.sort {
            Sort::Relevance => {
                // Ranking and counting are separate passes: alone, top-k ranking skips
                // blocks (block-max WAND) and the count needs no scores.
                found = top_ranked(&searcher, q.as_ref(), &ranked, f, offset, limit)?;
                (total, total_exact) = if found.len() < limit && offset == 0 {
                    (found.len(), true)
                } else {
                    let cap = COUNT_LIMIT.max(offset + limit + 1);
                    count_up_to(&searcher, q.as_ref(), cap)?
                };
            }
            Sort::Date => {
                let top = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_fast_field::<i64>("time", Order::Desc);
                let (docs, n) = searcher.search(&q, &(top, Count))?;
                (total, total_exact) = (n, true);
                found = docs.into_iter().map(|(_, d)| (0.0, d)).collect();
            }
        }
        let (stems, exact) = parsed.highlight_terms();
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let body = text(f.body);
            let mut snip = snippet::build(&body, &stems, &exact);
            if !snip.iter().any(|s| s.is_match) {
                let sub = text(f.subtitle);
                let alt = snippet::build(&sub, &stems, &exact);
                if alt.iter().any(|s| s.is_match) || snip.is_empty() {
                    snip = alt;
                }
            }
            hits.push(Hit {
                source: text(f.source),
                id: text(f.id),
                title: text(f.title),
                score,
                time: doc
                    .get_first(f.time)
                    .and_then(|v| v.as_i64())
                    .unwrap_or_default(),
                snippet: snip,
            });
        }
        Ok(SearchResults {
            total,
            total_exact,
            hits,
            relaxed: false,
        })
    }
}

/// `parsed` with its common stems moved to the second phase ([`ParsedQuery::split_common`]),
/// judged by their document frequency in the stemmed text field.
fn split_common(searcher: &tantivy::Searcher, parsed: &ParsedQuery, f: &Fields) -> ParsedQuery {
    parsed.split_common(searcher.num_docs(), |stem| {
        searcher
            .doc_freq(&Term::from_field_text(f.text_stem, stem))
            .unwrap_or(0)
    })
}

/// Hits `offset..offset + limit` by relevance: the first-phase query ranks the candidates,
/// then the best [`RESCORE_DEPTH`] beyond the page get the [`query::boosts`] clauses added to
/// their scores (title and exact-form matches). The sum is the score the whole query would
/// give; only an article outside the first-phase top could be missed.
fn top_ranked(
    searcher: &tantivy::Searcher,
    first: &dyn tantivy::query::Query,
    parsed: &ParsedQuery,
    f: &Fields,
    offset: usize,
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    use tantivy::DocSet;
    use tantivy::query::EnableScoring;
    let depth = offset + limit + RESCORE_DEPTH;
    let mut found = searcher.search(first, &TopDocs::with_limit(depth).order_by_score())?;
    let boosts = query::boosts(parsed, f);
    if !boosts.is_empty() && !found.is_empty() {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights = boosts
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        found.sort_by_key(|(_, a)| (a.segment_ord, a.doc_id));
        for same in found.chunk_by_mut(|(_, a), (_, b)| a.segment_ord == b.segment_ord) {
            let reader = searcher.segment_reader(same[0].1.segment_ord);
            for w in &weights {
                let mut scorer = w.scorer(reader, 1.0)?;
                for (score, addr) in same.iter_mut() {
                    if scorer.doc() < addr.doc_id {
                        scorer.seek(addr.doc_id);
                    }
                    if scorer.doc() == addr.doc_id {
                        *score += scorer.score();
                    }
                }
            }
        }
        found.sort_by(|(sa, a), (sb, b)| {
            sb.total_cmp(sa)
                .then_with(|| (a.segment_ord, a.doc_id).cmp(&(b.segment_ord, b.doc_id)))
        });
    }
    Ok(found.into_iter().skip(offset).take(limit).collect())
}

/// Counts live documents matching `query`, stopping at `cap`: (count, whether it is exact).
fn count_up_to(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    cap: usize,
) -> tantivy::Result<(usize, bool)> {
    use tantivy::query::EnableScoring;
    use tantivy::{DocSet, TERMINATED};
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0usize;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n >= cap {
                    return Ok((n, false));
                }
            }
            doc = scorer.advance();
        }
    }
    Ok((n, true))
}
