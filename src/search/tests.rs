//! Index-level tests: ranking fields, phrases, exclusions, any query.

use super::*;
use proptest::prelude::*;

fn article(id: &str, title: &str, body: &str) -> Article {
    Article::new("t", id, title, vec![body.into()])
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = SearchIndex::open(dir.path()).expect("open");
    idx.index_articles_blocking(
        &[
            article(
                "a",
                "الجيش الليبي في بنغازي",
                "دخل الجيش الليبي مدينة بنغازي",
            ),
            article("b", "أسعار النفط", "ارتفعت أسعار النفط في ليبيا"),
        ],
        Held::No,
    )
    .expect("index");
    idx.commit_blocking().expect("commit");
    (dir, idx)
}

fn ids(idx: &SearchIndex, q: &str) -> Vec<String> {
    let req = SearchRequest {
        q: q.into(),
        limit: 10,
        ..Default::default()
    };
    idx.search(&req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn stemmed_exact_phrase_and_exclusion() {
    let (_d, idx) = index();
    assert_eq!(ids(&idx, "ليبيا").len(), 2);
    assert_eq!(ids(&idx, "الليبية")[0], "a", "title match ranks first");
    assert_eq!(ids(&idx, "\"الجيش الليبي\""), vec!["a"]);
    assert_eq!(ids(&idx, "ليبيا -النفط"), vec!["a"]);
    // No exact phrase anywhere: its words are searched instead, and the results say so.
    let phrase = |q: &str| {
        let req = SearchRequest {
            q: q.into(),
            limit: 10,
            ..Default::default()
        };
        idx.search(&req).expect("search")
    };
    let loose = phrase("\"الليبي الجيش\"");
    assert!(loose.relaxed && loose.hits[0].id == "a");
    assert!(!phrase("\"الجيش الليبي\"").relaxed);
    assert_eq!(ids(&idx, "الأسعار"), vec!["b"]);
    // Stop words are only positions in the exact field: a phrase holding one still
    // matches, and one that drops it does not.
    assert_eq!(ids(&idx, "\"أسعار النفط في ليبيا\""), vec!["b"]);
    assert!(phrase("\"النفط ليبيا\"").relaxed);
    assert!(
        phrase("\"في من\"").hits.is_empty(),
        "stop words alone find nothing"
    );
}

#[test]
fn common_words_only_rank_the_best_candidates() {
    // 150 of 1,102 articles hold الحكومة (more than COMMON_SHARE): in «الحكومة بنغازي» it
    // no longer selects candidates, but it still lifts the article that has both words.
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = SearchIndex::open(dir.path()).expect("open");
    let mut articles: Vec<Article> = (0..1100)
        .map(|i| {
            let body = if i < 150 {
                "أعلنت الحكومة خطة جديدة"
            } else {
                "ارتفعت أسعار النفط اليوم"
            };
            article(&format!("n{i}"), "خبر", body)
        })
        .collect();
    articles.push(article("only", "خبر", "بنغازي مدينة ساحلية"));
    articles.push(article("both", "خبر", "زارت الحكومة مدينة بنغازي الساحلية"));
    idx.index_articles_blocking(&articles, Held::Maybe)
        .expect("index");
    idx.commit_blocking().expect("commit");
    let found = ids(&idx, "الحكومة بنغازي");
    assert_eq!(found, vec!["both", "only"]);
    let req = SearchRequest {
        q: "الحكومة بنغازي".into(),
        limit: 10,
        ..Default::default()
    };
    let snippet = &idx.search(&req).expect("search").hits[0].snippet;
    assert!(
        snippet
            .iter()
            .any(|s| s.is_match && s.text.contains("الحكومة")),
        "the common word is still highlighted"
    );
    // Alone, a common word still finds its articles.
    assert_eq!(ids(&idx, "الحكومة").len(), 10);
}

#[test]
fn any_query_searches_without_error() {
    let (_d, idx) = index();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    runner
        .run(&"\\PC{0,60}", |q| {
            let req = SearchRequest {
                q,
                limit: 5,
                ..Default::default()
            };
            prop_assert!(idx.search(&req).is_ok());
            Ok(())
        })
        .expect("every query searches");
}

#[test]
fn totals_count_every_match_beyond_the_page() {
    let (_d, idx) = index();
    for (q, want) in [
        ("ليبيا", 2),
        ("الجيش", 1),
        ("\"الجيش الليبي\"", 1),
        ("ليبيا -النفط", 1),
    ] {
        let req = SearchRequest {
            q: q.into(),
            limit: 1,
            ..Default::default()
        };
        assert_eq!(idx.search(&req).expect("search").total, want, "{q}");
    }
}

#[test]
fn ranked_totals_stop_counting_past_the_limit_but_pages_stay_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = SearchIndex::open(dir.path()).expect("open");
    let n = COUNT_LIMIT + 20;
    let articles: Vec<Article> = (0..n)
        .map(|i| article(&format!("x{i}"), "خبر", &format!("ليبيا {i}")))
        .collect();
    idx.index_articles_blocking(&articles, Held::Maybe)
        .expect("index");
    idx.commit_blocking().expect("commit");
    let req = |q: &str, offset, sort| SearchRequest {
        q: q.into(),
        limit: 10,
        offset,
        sort,
        ..Default::default()
    };
    let r = idx
        .search(&req("ليبيا", 0, Sort::Relevance))
        .expect("search");
    assert_eq!((r.total, r.total_exact), (COUNT_LIMIT, false));
    assert_eq!(r.hits.len(), 10);
    // Deep pages count past themselves, so "is there a next page" stays right.
    let r = idx
        .search(&req("ليبيا", n - 15, Sort::Relevance))
        .expect("search");
    assert_eq!(
        (r.total, r.total_exact),
        (n - 4, false),
        "one past the page"
    );
    assert_eq!(r.hits.len(), 10);
    let r = idx
        .search(&req("ليبيا", n - 5, Sort::Relevance))
        .expect("search");
    assert_eq!((r.total, r.total_exact), (n, true), "the last page");
    assert_eq!(r.hits.len(), 5);
    let r = idx.search(&req("ليبيا", 0, Sort::Date)).expect("search");
    assert_eq!(
        (r.total, r.total_exact),
        (n, true),
        "date order counts every match"
    );
    // Deleted articles are not counted.
    {
        let writer = idx
            .lock_writer(super::writer::REBUILD_MEMORY)
            .expect("writer");
        idx.delete_with(&writer, "t", "x0");
    }
    idx.commit_blocking().expect("commit");
    let r = idx
        .search(&req("ليبيا", n - 5, Sort::Relevance))
        .expect("search");
    assert_eq!((r.total, r.total_exact), (n - 1, true));
    assert_eq!(r.hits.len(), 4);
}

#[test]
fn replacing_an_article_leaves_one_version_in_the_index() {
    let (_d, idx) = index();
    let newer = article("a", "عنوان جديد عن طرابلس", "وصل الوفد إلى طرابلس");
    idx.index_articles_blocking(&[newer], Held::Maybe)
        .expect("index");
    idx.commit_blocking().expect("commit");
    assert_eq!(ids(&idx, "طرابلس"), vec!["a"]);
    assert!(ids(&idx, "بنغازي").is_empty(), "the older version is gone");
    assert_eq!(idx.num_docs(), 2);
}
