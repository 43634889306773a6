//! Understanding: the shipped section model and tagger on the fixture article, through the
//! pipeline to the article and tag pages, and the `train`/`classify`/`eval` commands.

use sahifa::ingest::Incoming;
use sahifa::model::{LabelOrigin, Section, Tag};

use crate::helpers::{
    TestApp, databases, fixtures, sahifa, sahifa_twice, stderr, stdout, stored_article,
};

/// The fixture article as an import without a section.
fn fixture_record(id: &str, published: &str) -> Incoming {
    let text =
        std::fs::read_to_string(fixtures().join("asharq-libya-article.txt")).expect("fixture");
    let raw = sahifa::ingest::raw_text::parse(&text, &Default::default()).expect("parse");
    Incoming {
        id: Some(id.into()),
        title: Some(raw.title),
        subtitle: raw.subtitle,
        body: raw.body.join("\n"),
        published: sahifa::ingest::jsonl::parse_time(published),
        ..Incoming::default()
    }
}

fn record(id: &str, title: &str, body: &str) -> Incoming {
    Incoming {
        id: Some(id.into()),
        title: Some(title.into()),
        body: body.into(),
        ..Incoming::default()
    }
}

/// An article that names the Turkish president in full, with his title.
fn full_name_record(id: &str) -> Incoming {
    record(
        id,
        "الرئيس التركي يزور ألمانيا",
        "قال الرئيس التركي رجب طيب أردوغان إن زيارته إلى برلين تفتح صفحة جديدة في العلاقات \
         بين البلدين. وأضاف أردوغان أن المحادثات ستتناول التجارة والهجرة والأمن.\n\
         وأكد أردوغان أن بلاده تريد علاقات متوازنة مع أوروبا.",
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_family_name_alone_gets_the_full_name_tag_on_every_backend() {
    let root = tempfile::tempdir().expect("tempdir");
    for db in databases(root.path()).await {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = TestApp::spawn_on(dir, &db.url).await;
        first
            .ingest(vec![full_name_record("a1"), full_name_record("a2")])
            .await;
        // A later import, in a new process: what it knows of people comes from the store.
        let dir = tempfile::tempdir().expect("tempdir");
        let later = TestApp::spawn_on(dir, &db.url).await;
        later
            .ingest(vec![record(
                "a3",
                "أردوغان يهاجم المعارضة قبل الانتخابات",
                "هاجم أردوغان أحزاب المعارضة في خطاب أمام أنصاره في إسطنبول، وقال أردوغان \
                 إن الانتخابات المقبلة ستحسم مستقبل البلاد.\nورد زعماء المعارضة على \
                 أردوغان بأن الاقتصاد هو القضية الأولى.",
            )])
            .await;
        let a = stored_article(&later.state.store, "test", "a3").await;
        let names: Vec<(&str, &str)> = a
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.kind.as_str()))
            .collect();
        assert!(
            names.contains(&("رجب طيب أردوغان", "person")),
            "{}: {names:?}",
            db.name
        );
        assert!(
            !names.iter().any(|(n, _)| *n == "أردوغان"),
            "{}: {names:?}",
            db.name
        );
        db.drop_schema().await;
    }
}

fn tag_slugs(tags: &[Tag]) -> Vec<String> {
    let mut s: Vec<String> = tags.iter().map(|t| t.slug.clone()).collect();
    s.sort();
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn retag_redoes_model_tags_keeps_editors_labels_and_is_idempotent_on_every_backend() {
    let root = tempfile::tempdir().expect("tempdir");
    for db in databases(root.path()).await {
        let dir = tempfile::tempdir().expect("tempdir");
        let app = TestApp::spawn_on(dir, &db.url).await;
        app.ingest(vec![
            full_name_record("a1"),
            full_name_record("a2"),
            fixture_record("libya", "2017-07-01T10:00:00Z"),
        ])
        .await;
        let store = &app.state.store;
        let libya = stored_article(store, "test", "libya").await;
        // What an older model might have left: a name with a preposition attached instead
        // of today's tags.
        let stale = Tag {
            slug: "لترامب".into(),
            name: "لترامب".into(),
            kind: "topic".into(),
            origin: LabelOrigin::Model,
            score: 1.0,
        };
        assert!(
            store
                .set_article_tags("test", "libya", std::slice::from_ref(&stale))
                .await
                .expect("set")
        );
        let editor = Tag {
            slug: "ماكرون الوساطه".into(),
            name: "ماكرون الوساطة".into(),
            kind: "person".into(),
            origin: LabelOrigin::Person,
            score: 1.0,
        };
        assert!(
            store
                .set_labels_by_person("test", "a1", Some(Section::Sport), &[editor])
                .await
                .expect("set")
        );

        let data = root.path().join(format!("retag-{}", db.name));
        sahifa_twice(
            &data,
            &db,
            &["retag"],
            "retagged 3 articles: 0 new sections, 1 new tag lists, 1 unused tags deleted",
            "retagged 3 articles: 0 new sections, 0 new tag lists, 0 unused tags deleted",
        )
        .await;
        let redone = stored_article(store, "test", "libya").await;
        assert_eq!(
            tag_slugs(&redone.tags),
            tag_slugs(&libya.tags),
            "{}",
            db.name
        );
        assert_eq!(redone.section, Some(Section::MiddleEast));
        let kept = stored_article(store, "test", "a1").await;
        assert_eq!(kept.section, Some(Section::Sport), "{}", db.name);
        assert_eq!(kept.section_origin, LabelOrigin::Person);
        assert_eq!(tag_slugs(&kept.tags), ["ماكرون الوساطه"], "{}", db.name);
        assert_eq!(store.tag("لترامب").await.expect("q"), None, "{}", db.name);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn fixture_gets_middle_east_and_place_person_tags_shown_as_links() {
    let app = TestApp::spawn().await;
    app.ingest(vec![
        fixture_record("older", "2017-07-01T10:00:00Z"),
        Incoming {
            id: Some("newer".into()),
            ..fixture_record("newer", "2017-07-03T10:00:00Z")
        },
    ])
    .await;
    let a = stored_article(&app.state.store, "test", "older").await;
    assert_eq!(a.section, Some(Section::MiddleEast));
    assert_eq!(a.section_origin, LabelOrigin::Model);
    assert!(
        a.section_confidence
            .is_some_and(|c| (0.5..=1.0).contains(&c))
    );
    let names: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
    for want in ["ليبيا", "حفتر", "بنغازي", "روسيا"] {
        assert!(
            names.iter().any(|n| n.contains(want)),
            "{want} missing from {names:?}"
        );
    }
    assert!(a.tags.len() <= 8, "{names:?}");
    let boilerplate = sahifa::ingest::boilerplate::Boilerplate::default();
    let banned: Vec<String> = boilerplate.words().map(String::from).collect();
    for t in &a.tags {
        for w in t.slug.split(' ') {
            assert!(
                !sahifa::arabic::stopwords::is_stopword(w),
                "stop word in tag {t:?}"
            );
            assert!(
                !banned.iter().any(|b| b == w),
                "boilerplate word in tag {t:?}"
            );
        }
        assert_eq!(t.origin, LabelOrigin::Model);
    }
    let libya = a.tags.iter().find(|t| t.name == "ليبيا").expect("ليبيا");
    assert_eq!(libya.kind, "place");

    let html = app
        .get("/articles/test/older")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains(r#"<a href="/sections/middleEast">الشرق الأوسط</a>"#));
    let tag_link = format!("/tags/{}", urlencode(&libya.slug));
    assert!(
        html.contains(&tag_link),
        "tag link {tag_link} on the article page"
    );

    let r = app.get(&tag_link).await;
    assert_eq!(r.status(), 200);
    let list = r.text().await.expect("tag page");
    let newer = list.find("/articles/test/newer").expect("newer listed");
    let older = list.find("/articles/test/older").expect("older listed");
    assert!(newer < older, "newest first");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn articles_the_model_cannot_judge_stay_unclassified() {
    let app = TestApp::spawn().await;
    app.ingest(vec![
        Incoming {
            id: Some("en".into()),
            title: Some("A headline in English".into()),
            body: "This article is written in English and says nothing in Arabic at all.".into(),
            ..Incoming::default()
        },
        Incoming {
            id: Some("big".into()),
            title: Some("نص طويل جدا".into()),
            body: "كلمة ".repeat(560_000),
            ..Incoming::default()
        },
    ])
    .await;
    let en = stored_article(&app.state.store, "test", "en").await;
    assert_eq!(en.section, None);
    let html = app
        .get("/articles/test/en")
        .await
        .text()
        .await
        .expect("page");
    assert!(html.contains("غير مصنّف"));
    let big = stored_article(&app.state.store, "test", "big").await;
    assert!(big.tags.len() <= 8);
}

#[test]
fn classify_and_eval_commands_report_per_record_and_in_total() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("in.jsonl");
    let demo = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/articles.jsonl"),
    )
    .expect("demo");
    let mut text = demo.clone();
    text.push_str("{\"id\":\"en\",\"title\":\"English only\",\"body\":\"Nothing Arabic here at all.\",\"category\":\"sport\"}\n");
    text.push_str("not json\n");
    std::fs::write(&file, &text).expect("write");
    let f = file.to_str().expect("utf-8 path");

    let out = sahifa(dir.path(), None, &["classify", "--json", f]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(":") && stderr(&out).contains("invalid JSON"));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(
        lines.len(),
        demo.lines().filter(|l| !l.trim().is_empty()).count() + 1
    );
    let en = lines.iter().find(|v| v["id"] == "en").expect("en");
    assert!(en["section"].is_null(), "{en}");
    assert!(
        lines
            .iter()
            .all(|v| v["source"].is_string() && v["confidence"].is_number())
    );
    // Every record's section against the category it came with.
    let given: std::collections::HashMap<String, String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            Some((
                v["id"].as_str()?.to_string(),
                v["category"].as_str()?.to_string(),
            ))
        })
        .collect();
    let agree = |only: Option<&str>| {
        lines
            .iter()
            .filter(|v| {
                let want = v["id"].as_str().and_then(|id| given.get(id));
                want.is_some_and(|w| only.is_none_or(|o| o == w) && v["section"] == w.as_str())
            })
            .count()
    };
    // The shipped model's measured level on the demo (it stays as shipped): 5 of the 6
    // sport articles (demo-021 is left unclassified at confidence 0.32) and 23 of 36 in
    // their own section, the rest mostly unclassified under the confidence threshold.
    // Fewer is a regression of the model or of the text it is given.
    let sport = agree(Some("sport"));
    assert!(sport >= 5, "{sport} of 6 demo sport articles are sport");
    let right = agree(None);
    assert!(
        right >= 23,
        "{right} of 36 demo articles in their own section"
    );

    let out = sahifa(dir.path(), None, &["eval", "sections", f]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    // 36 demo records and the English one have a category; what `classify` showed agrees
    // with the thresholded accuracy `eval` reports.
    assert!(report.contains("records 37  accuracy"), "{report}");
    let shown = format!("accuracy {:.4}, macro-F1", right as f64 / 37.0);
    assert!(report.contains(&shown), "{shown} in\n{report}");
    let sport_row = report
        .lines()
        .find(|l| l.starts_with("sport "))
        .unwrap_or_else(|| panic!("a sport row in\n{report}"));
    assert!(
        sport_row.trim_end().ends_with(" 7"),
        "support 7: {sport_row}"
    );
    for want in ["macro-F1", "confusion", "middleEast", "technology"] {
        assert!(report.contains(want), "{want} in\n{report}");
    }
}

#[test]
fn train_writes_a_model_that_loads() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/articles.jsonl");
    let out_path = dir.path().join("m/sections.bin");
    let out = sahifa(
        dir.path(),
        None,
        &[
            "train",
            "sections",
            "--data",
            data.to_str().expect("path"),
            "--out",
            out_path.to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let u = sahifa::understand::Understanding::load(&out_path).expect("trained model loads");
    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, b"SAHIFA-SECTIONS\nnot really a model").expect("write");
    let err = format!(
        "{:#}",
        sahifa::understand::Understanding::load(&bad).expect_err("corrupt model")
    );
    assert!(err.contains("bad.bin"), "{err}");
    // The trained model knows its training data: it puts demo articles in their sections.
    let demo = std::fs::read_to_string(&data).expect("demo");
    let mut right = 0;
    for line in demo.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let body: Vec<String> = v["body"]
            .as_str()
            .expect("body")
            .split('\n')
            .map(String::from)
            .collect();
        let a = sahifa::model::Article::new(
            "demo",
            v["id"].as_str().expect("id"),
            v["title"].as_str().expect("title"),
            body,
        );
        let (section, _) = u.section_of(&a);
        if section.map(sahifa::model::Section::slug) == v["category"].as_str() {
            right += 1;
        }
    }
    assert!(
        right >= 34,
        "the trained model got {right} of 36 demo articles right"
    );
}
