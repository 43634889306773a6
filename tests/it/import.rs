//! `sahifa import` through the real binary: raw text, JSON Lines, broken input, idempotency.

use std::io::Write;

use crate::helpers::{databases, fixtures, sahifa, sahifa_twice, shared, stderr, stdout};

const TITLE: &str = "ليبيا: معارك عنيفة بين الجيش والجماعات الإرهابية في شرق بنغازي";
const SUBTITLE: &str = "حفتر ينفي طلب أي أسلحة من روسيا لمحاربة الإرهابيين";

fn api_article(data: &std::path::Path, source: &str) -> serde_json::Value {
    api_articles(data)
        .into_iter()
        .find(|a| a["source"] == source)
        .expect("imported article")
}

/// The newest ten articles as the API shows them, read back through the library.
fn api_articles(data: &std::path::Path) -> Vec<serde_json::Value> {
    let rt = tokio::runtime::Runtime::new().expect("rt");
    rt.block_on(async {
        let url = format!("sqlite://{}", data.join("sahifa.db").display());
        let store = sahifa::store::Store::connect(&url).await.expect("connect");
        let list = store.latest(10, 0).await.expect("latest");
        list.into_iter()
            .map(|a| serde_json::to_value(sahifa::web::api::ArticleJson::from(a)).expect("json"))
            .collect()
    })
}

#[test]
fn fixture_and_its_variants_import_with_title_subtitle_and_clean_body() {
    let original =
        std::fs::read_to_string(fixtures().join("asharq-libya-article.txt")).expect("fixture");
    let without_boilerplate: String = original.lines().take(13).collect::<Vec<_>>().join("\n");
    let variants = [
        ("plain", original.clone()),
        ("crlf", original.replace('\n', "\r\n")),
        ("bom", format!("\u{FEFF}{original}")),
        ("trailing", format!("{original}\n\n\n")),
        ("no-boilerplate", without_boilerplate),
    ];
    for (name, text) in variants {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(format!("{name}.txt"));
        std::fs::write(&file, text).expect("write");
        let data = dir.path().join("data");
        let out = sahifa(
            &data,
            None,
            &["import", "--source", "asharq", file.to_str().expect("path")],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(
            stdout(&out).trim(),
            "imported 1, unchanged 0, rejected 0, warnings 0",
            "{name}"
        );
        let a = api_article(&data, "asharq");
        assert_eq!(a["title"], TITLE, "{name}");
        assert_eq!(a["subtitle"], SUBTITLE, "{name}");
        let body = a["body"].as_array().expect("body");
        assert_eq!(body.len(), 10, "{name}");
        assert!(
            body[0]
                .as_str()
                .expect("str")
                .starts_with("نصح أمس المشير خليفة حفتر")
        );
        for p in body {
            let p = p.as_str().expect("str");
            assert!(
                !p.contains("لم تشترك بعد") && !p.contains("انشئ حساباً"),
                "{name}: {p}"
            );
            assert_ne!(p, TITLE, "{name}");
        }
        // Same file again: nothing changes.
        let again = sahifa(
            &data,
            None,
            &["import", "--source", "asharq", file.to_str().expect("path")],
        );
        assert_eq!(
            stdout(&again).trim(),
            "imported 0, unchanged 1, rejected 0, warnings 0",
            "{name}"
        );
    }
}

#[test]
fn broken_json_lines_keep_every_valid_line_and_name_the_bad_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mixed.jsonl");
    let mut f = std::fs::File::create(&file).expect("create");
    let good = |id: &str| {
        format!(
            r#"{{"id":"{id}","title":"عنوان {id}","body":"فقرة أولى\nفقرة ثانية","category":"sport"}}"#
        )
    };
    writeln!(f, "{}", good("g1")).expect("w"); // 1
    writeln!(f, "{{not json").expect("w"); // 2
    writeln!(f, r#"{{"id":"m","title":"بلا متن"}}"#).expect("w"); // 3 missing body
    writeln!(f, r#"{{"id":"t","title":7,"body":"نص"}}"#).expect("w"); // 4 wrong type
    writeln!(f, "{}", good("g2")).expect("w"); // 5
    let huge = "ب".repeat(5 * 1024 * 1024); // 10 MiB of UTF-8
    writeln!(f, r#"{{"id":"h","title":"كبير","body":"{huge}"}}"#).expect("w"); // 6
    f.write_all(b"{\"id\":\"u\",\"title\":\"\xff\xfe\",\"body\":\"x\"}\n")
        .expect("w"); // 7 invalid UTF-8
    writeln!(f).expect("w"); // 8 blank: not a record
    writeln!(f, "{}", good("g3")).expect("w"); // 9
    writeln!(f, r#"{{"id":"e","title":"فارغ","body":"   "}}"#).expect("w"); // 10 empty body
    drop(f);
    let data = dir.path().join("data");
    let out = sahifa(&data, None, &["import", file.to_str().expect("path")]);
    assert!(
        !out.status.success(),
        "must exit non-zero when lines are rejected"
    );
    assert_eq!(
        stdout(&out).trim(),
        "imported 3, unchanged 0, rejected 6, warnings 0"
    );
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    for (line, needle) in [
        (2, "invalid JSON"),
        (3, "`body`"),
        (4, "`title`"),
        (6, "limit"),
        (7, "UTF-8"),
        (10, "empty body"),
    ] {
        let tag = format!("mixed.jsonl:{line}: ");
        let found = err
            .lines()
            .find(|l| l.contains(&tag))
            .unwrap_or_else(|| panic!("line {line} not reported: {err}"));
        assert!(found.contains(needle), "line {line}: {found}");
    }
}

#[test]
fn unsupported_and_missing_files_are_rejected_with_their_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let odd = dir.path().join("notes.docx");
    std::fs::write(&odd, b"x").expect("write");
    let data = dir.path().join("data");
    let out = sahifa(
        &data,
        None,
        &[
            "import",
            odd.to_str().expect("p"),
            "/nonexistent/file.jsonl",
        ],
    );
    assert!(!out.status.success());
    assert_eq!(
        stdout(&out).trim(),
        "imported 0, unchanged 0, rejected 2, warnings 0"
    );
    let err = stderr(&out);
    assert!(err.contains("notes.docx: unsupported file type"), "{err}");
    assert!(
        err.contains("/nonexistent/file.jsonl: cannot open"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_corpus_imports_3300_then_3300_unchanged_on_every_backend() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared/data is absent, the dev corpus test needs it");
        return;
    };
    let file = shared.join("data/arabic-news/dev.jsonl");
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = dir.path().join(format!("data-{}", db.name));
        let f = file.to_str().expect("path");
        sahifa_twice(
            &data,
            &db,
            &["import", f],
            "imported 3300, unchanged 0, rejected 0, warnings 0",
            "imported 0, unchanged 3300, rejected 0, warnings 0",
        )
        .await;
        db.drop_schema().await;
    }
}

#[test]
fn html_pages_and_feeds_import_through_the_same_pipeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let para = "<p>قال مسؤولون في طرابلس إن الحكومة تعمل على خطة جديدة لدعم الموانئ الليبية وتوسيع قدرتها على استقبال السفن التجارية خلال الأشهر المقبلة.</p>";
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        format!(
            "<html lang=\"ar\"><head><title>خطة لدعم الموانئ الليبية | موقع</title></head><body>\
             <nav><a href=\"/\">الرئيسية</a></nav><article><h1>خطة لدعم الموانئ الليبية</h1>{}</article>\
             <script>document.write('x')</script></body></html>",
            para.repeat(5)
        ),
    )
    .expect("write");
    let feed = dir.path().join("news.xml");
    std::fs::write(
        &feed,
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><guid>e1</guid><title>خبر من الخلاصة</title><description>&lt;p&gt;نص الخبر الأول&lt;/p&gt;</description></item>
<item><guid>e2</guid><title>خبر بلا نص</title></item></channel></rss>"#,
    )
    .expect("write");
    let data = dir.path().join("data");
    let out = sahifa(
        &data,
        None,
        &[
            "import",
            "--source",
            "web",
            page.to_str().expect("p"),
            feed.to_str().expect("p"),
        ],
    );
    assert_eq!(
        stdout(&out).trim(),
        "imported 2, unchanged 0, rejected 1, warnings 0",
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("news.xml: entry 2: "),
        "{}",
        stderr(&out)
    );
    let again = sahifa(
        &data,
        None,
        &[
            "import",
            "--source",
            "web",
            page.to_str().expect("p"),
            feed.to_str().expect("p"),
        ],
    );
    assert_eq!(
        stdout(&again).trim(),
        "imported 0, unchanged 2, rejected 1, warnings 0"
    );
    // The HTML page (not the feed item, which is newer): its article text without the
    // page's script.
    let articles = api_articles(&data);
    let page = articles
        .iter()
        .find(|a| a["title"] == "خطة لدعم الموانئ الليبية")
        .unwrap_or_else(|| panic!("the HTML page's article: {articles:?}"));
    let body: Vec<&str> = page["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|p| p.as_str().expect("a paragraph"))
        .collect();
    assert!(
        body.iter().any(|p| p.contains("قال مسؤولون في طرابلس")),
        "{body:?}"
    );
    assert!(
        body.iter()
            .all(|p| !p.contains("document.write") && !p.contains("الرئيسية")),
        "{body:?}"
    );
    let item = articles
        .iter()
        .find(|a| a["title"] == "خبر من الخلاصة")
        .expect("the feed item");
    assert_eq!(item["body"], serde_json::json!(["نص الخبر الأول"]));
}
