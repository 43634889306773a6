//! Saved articles: a member's snapshot of an article (text and all), taken when saved and
//! kept whatever happens to the article or its source; listed newest-saved first and
//! searched with the site's Arabic analyzer; exported and imported as JSON Lines.

pub mod export;
pub mod import;
mod record;

use std::collections::BTreeSet;

use chrono::Utc;

use crate::arabic::{Analyzer, stopwords};
use crate::model::Article;
use crate::search::query;
use crate::search::snippet::{self, Segment};
use crate::store::{SavedFilter, SavedItem, SavedRow, SavedTag, SavedWrite, Store};

pub use record::{SCHEMA, SavedRecord};

/// Longest note kept, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Most copies a page of the saved list shows.
pub const MAX_LIMIT: usize = 100;

/// A note as given by a member: trimmed, cut to [`MAX_NOTE_CHARS`], `None` when empty.
pub fn clean_note(note: &str) -> Option<String> {
    let t = note.trim();
    (!t.is_empty()).then(|| t.chars().take(MAX_NOTE_CHARS).collect())
}

/// The analyzer's distinct stems of a copy's text, as stored for saved search.
pub fn terms_of(title: &str, subtitle: Option<&str>, body: &[String]) -> String {
    let a = Analyzer;
    let mut set = BTreeSet::new();
    for part in std::iter::once(title)
        .chain(subtitle)
        .chain(body.iter().map(String::as_str))
    {
        set.extend(a.terms(part));
    }
    let mut out = String::from(" ");
    for t in set {
        out.push_str(&t);
        out.push(' ');
    }
    out
}

/// The snapshot of `article` as a member saves it now.
pub fn snapshot(article: &Article, note: Option<String>) -> SavedItem {
    SavedItem {
        source: article.source.clone(),
        id: article.id.clone(),
        title: article.title.clone(),
        subtitle: article.subtitle.clone(),
        body: article.body.clone(),
        section: article.section.map(|s| s.slug().to_string()),
        tags: article
            .tags
            .iter()
            .map(|t| SavedTag {
                slug: t.slug.clone(),
                name: t.name.clone(),
            })
            .collect(),
        url: article.url.clone(),
        published: article.published,
        content_hash: article.content_hash.clone(),
        note,
        saved_at: Utc::now(),
        terms: terms_of(&article.title, article.subtitle.as_deref(), &article.body),
    }
}

/// The published article (source, id), if there is one.
async fn live(store: &Store, source: &str, id: &str) -> anyhow::Result<Option<Article>> {
    if store.article_status(source, id).await?.as_deref() != Some("published") {
        return Ok(None);
    }
    store.article(source, id).await
}

/// Saves the published article (source, id) for member `user_pk`; with a note, sets the
/// note of a copy already there. `None` when there is no such published article.
pub async fn save(
    store: &Store,
    user_pk: i64,
    source: &str,
    id: &str,
    note: Option<String>,
) -> anyhow::Result<Option<SavedWrite>> {
    let Some(article) = live(store, source, id).await? else {
        // A copy saved earlier can still take a note after the article went.
        if let Some(n) = &note
            && store.set_saved_note(user_pk, source, id, Some(n)).await?
        {
            return Ok(Some(SavedWrite::Updated));
        }
        return Ok(None);
    };
    let item = snapshot(&article, note);
    Ok(Some(store.save_copy(user_pk, &item).await?))
}

/// Replaces the member's copy with the live article as it is now (note and saved-at kept).
/// Returns false when there is no copy or no live article.
pub async fn refresh(store: &Store, user_pk: i64, source: &str, id: &str) -> anyhow::Result<bool> {
    let Some(article) = live(store, source, id).await? else {
        return Ok(false);
    };
    store.refresh_copy(user_pk, &snapshot(&article, None)).await
}

/// Every copy of a member as export records, newest saved first (for the account export).
pub async fn records(store: &Store, user_pk: i64) -> anyhow::Result<Vec<SavedRecord>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let rows = store.saved_page(user_pk, after, 500).await?;
        out.extend(rows.iter().map(SavedRecord::from));
        match rows.last() {
            Some(last) if rows.len() == 500 => {
                after = Some((last.item.saved_at.timestamp_millis(), last.pk));
            }
            _ => return Ok(out),
        }
    }
}

/// A request for the saved list.
#[derive(Debug, Clone, Default)]
pub struct SavedQuery {
    pub q: String,
    pub section: Option<String>,
    pub tag: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// One listed copy with its snippet (highlighted when there was a query).
#[derive(Debug, Clone)]
pub struct SavedHit {
    pub row: SavedRow,
    pub snippet: Vec<Segment>,
}

/// A page of the saved list and how many copies match.
#[derive(Debug, Clone, Default)]
pub struct SavedPage {
    pub total: usize,
    pub hits: Vec<SavedHit>,
}

/// Whether the words of `phrase` occur in a row, in order, in `text`'s normalised words.
fn holds_phrase(text: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase)
}

fn lead(row: &SavedRow) -> Vec<Segment> {
    let text: String = row
        .item
        .body
        .first()
        .map(|p| p.chars().take(200).collect())
        .unwrap_or_default();
    vec![Segment {
        text,
        is_match: false,
    }]
}

/// The member's saved copies matching `q`, newest saved first. Words are matched through
/// the site analyzer (spelling variants and light morphology), every word must occur,
/// `"quoted phrases"` must occur as written, `-word` excludes.
pub async fn list(store: &Store, user_pk: i64, q: &SavedQuery) -> anyhow::Result<SavedPage> {
    let parsed = query::parse(&q.q);
    let searching = !q.q.trim().is_empty();
    if searching && parsed.is_empty() {
        return Ok(SavedPage::default());
    }
    let a = Analyzer;
    let mut stems = parsed.stems.clone();
    for p in &parsed.phrases {
        for w in p.iter().filter(|w| !stopwords::is_stopword(w)) {
            for s in a.terms(w) {
                if !stems.contains(&s) {
                    stems.push(s);
                }
            }
        }
    }
    let filter = SavedFilter {
        user_pk,
        stems,
        excluded: parsed.excluded.clone(),
        section: q.section.clone().filter(|s| !s.is_empty()),
        tag: q.tag.clone().filter(|s| !s.is_empty()),
    };
    let mut pks = store.saved_matching(&filter).await?;
    if !parsed.phrases.is_empty() {
        let mut kept = Vec::with_capacity(pks.len());
        for chunk in pks.chunks(200) {
            for row in store.saved_rows(user_pk, chunk).await? {
                let it = &row.item;
                let mut text = a.exact_terms(&it.title);
                for part in it.subtitle.iter().chain(&it.body) {
                    text.extend(a.exact_terms(part));
                }
                if parsed.phrases.iter().all(|p| holds_phrase(&text, p)) {
                    kept.push(row.pk);
                }
            }
        }
        pks = kept;
    }
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let page: Vec<i64> = pks.iter().copied().skip(q.offset).take(limit).collect();
    let rows = store.saved_rows(user_pk, &page).await?;
    let (hl_stems, hl_exact) = parsed.highlight_terms();
    let hits = rows
        .into_iter()
        .map(|row| {
            let snippet = if searching {
                let body = row.item.body.join("\n");
                let mut s = snippet::build(&body, &hl_stems, &hl_exact);
                if !s.iter().any(|x| x.is_match) {
                    for other in row.item.subtitle.iter().chain([&row.item.title]) {
                        let alt = snippet::build(other, &hl_stems, &hl_exact);
                        if alt.iter().any(|x| x.is_match) {
                            s = alt;
                            break;
                        }
                    }
                }
                if s.is_empty() { lead(&row) } else { s }
            } else {
                lead(&row)
            };
            SavedHit { row, snippet }
        })
        .collect();
    Ok(SavedPage {
        total: pks.len(),
        hits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_match_spelling_variants() {
        let t = terms_of("مستشفى الأمل", None, &["زار أحمد المستشفي".into()]);
        let q = query::parse("مستشفي امل");
        for s in &q.stems {
            assert!(t.contains(&format!(" {s} ")), "{s} in {t}");
        }
        assert!(t.starts_with(' ') && t.ends_with(' '));
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(clean_note("  "), None);
        assert_eq!(clean_note(" مهم "), Some("مهم".into()));
        assert_eq!(
            clean_note(&"ن".repeat(3000)).map(|n| n.chars().count()),
            Some(MAX_NOTE_CHARS)
        );
    }

    #[test]
    fn phrases_match_in_order_only() {
        let w = |s: &str| Analyzer.exact_terms(s);
        assert!(holds_phrase(&w("قال الجيش الليبي أمس"), &w("الجيش الليبي")));
        assert!(!holds_phrase(&w("الليبي الجيش"), &w("الجيش الليبي")));
    }
}
