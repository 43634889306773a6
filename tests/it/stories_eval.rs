//! Story grouping quality on a small fixture drawn from the dev sample
//! (tests/fixtures/stories-dev.jsonl, 107 real articles of one week plus the two حفتر
//! articles): copies built the way wire copy reaches several papers must join their
//! original, and distinct articles on one subject (same section, within three days, a
//! shared tag or headline terms) must stay apart. Both backends, through the write path.

use sahifa::stories::{cli::read_records, eval};

use crate::helpers::{TestApp, databases, fixtures};

#[tokio::test]
async fn copies_join_and_distinct_articles_on_one_subject_stay_apart() {
    let records = read_records(&fixtures().join("stories-dev.jsonl")).expect("fixture");
    assert_eq!(records.len(), 107);
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = TestApp::spawn_on(tempfile::tempdir().expect("tempdir"), &db.url).await;
        let built = eval::build(records.clone(), 70, 7);
        let report = eval::measure(&app.state.newsroom, built)
            .await
            .expect("measure");
        eprintln!("{}: {report}", db.name);
        assert_eq!(report.positive_pairs, 70);
        assert!(report.negative_pairs >= 20, "{}: {report}", db.name);
        assert!(report.precision >= 0.95, "{}: {report}", db.name);
        assert!(report.recall >= 0.9, "{}: {report}", db.name);
        for (kind, recall) in &report.recall_by_kind {
            assert!(*recall >= 0.7, "{}: {kind}: {report}", db.name);
        }
        db.drop_schema().await;
    }
}
