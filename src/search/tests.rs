//! Index-level tests: ranking fields, phrases, exclusions, any query.

use super::*;
use proptest::prelude::*;

fn article(id: &str, title: &str, body: &str) -> Article {
    Article::new("t", id, title, vec![body.into()])
}

fn index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("tempdir");
    let idx = SearchIndex::open(dir.path()).expect("open");
    idx.index_articles_blocking(&[
        article(
            "a",
            "الجيش الليبي في بنغازي",
            "دخل الجيش الليبي مدينة بنغازي",
        ),
        article("b", "أسعار النفط", "ارتفعت أسعار النفط في ليبيا"),
    ])
    .expect("index");
    idx.commit_blocking(None).expect("commit");
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
    idx.index_articles_blocking(&articles).expect("index");
    idx.commit_blocking(None).expect("commit");
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(idx.delete("t", "x0")).expect("delete");
    idx.commit_blocking(None).expect("commit");
    let r = idx
        .search(&req("ليبيا", n - 5, Sort::Relevance))
        .expect("search");
    assert_eq!((r.total, r.total_exact), (n - 1, true));
    assert_eq!(r.hits.len(), 4);
}
