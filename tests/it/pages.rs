//! Server-rendered pages: RTL, escaping, dates, 404, health, demo content.

use sahifa::ingest::Incoming;

use crate::helpers::TestApp;

fn record(id: &str, title: &str, category: Option<&str>) -> Incoming {
    Incoming {
        id: Some(id.into()),
        title: Some(title.into()),
        subtitle: Some("عنوان فرعي للخبر".into()),
        body: "الفقرة الأولى من الخبر.\nالفقرة الثانية من الخبر.".into(),
        category: category.map(String::from),
        published: sahifa::ingest::jsonl::parse_time("2026-11-29T09:00:00+03:00"),
        ..Incoming::default()
    }
}

#[tokio::test]
async fn demo_article_page_is_rtl_with_headline_subtitle_and_both_dates() {
    let app = TestApp::spawn().await;
    let report = sahifa::demo::load(&app.state.newsroom).await.expect("demo");
    // The fixture article and every record of demo/articles.jsonl, none refused.
    let records = include_str!("../../demo/articles.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count() as u64;
    assert_eq!(report.inserted, records + 1, "{report}");
    assert_eq!(report.rejected(), 0, "{report}");
    let again = sahifa::demo::load(&app.state.newsroom)
        .await
        .expect("demo again");
    assert_eq!(again.imported(), 0, "the demo adds nothing twice");

    let r = app
        .get("/articles/asharq-alawsat/libya-benghazi-haftar")
        .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.expect("body");
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains("ليبيا: معارك عنيفة بين الجيش والجماعات الإرهابية في شرق بنغازي"));
    assert!(html.contains("حفتر ينفي طلب أي أسلحة من روسيا لمحاربة الإرهابيين"));
    assert!(html.contains(" هـ"), "Hijri date shown");
    let body = html
        .split(r#"<div class="body">"#)
        .nth(1)
        .and_then(|b| b.split("</div>").next())
        .expect("article body");
    assert!(
        !body.contains("لم تشترك بعد"),
        "the scraped sign-up box is not article text"
    );

    // Every section has demo articles on the home page.
    let home = app.get("/").await.text().await.expect("home");
    for s in sahifa::model::Section::ALL {
        assert!(
            home.contains(&format!(
                "/sections/{}\">{}</a></h2>",
                s.slug(),
                s.name_ar()
            )),
            "{s:?}"
        );
    }
}

#[tokio::test]
async fn titles_are_escaped_not_executed() {
    let app = TestApp::spawn().await;
    app.ingest(vec![record(
        "x1",
        "<script>alert(1)</script> عنوان",
        Some("sport"),
    )])
    .await;
    let html = app
        .get("/articles/test/x1")
        .await
        .text()
        .await
        .expect("body");
    assert!(!html.contains("<script>alert(1)</script>"));
    // Shown as text: the escaped form is in the page (askama writes `&#60;` or `&lt;`).
    let shown = html
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    assert!(
        shown.contains("<h1 dir=\"auto\"><script>alert(1)</script> عنوان</h1>"),
        "{html}"
    );
    let home = app.get("/").await.text().await.expect("home");
    assert!(!home.contains("<script>alert"));
}

#[tokio::test]
async fn section_and_unknown_pages() {
    let app = TestApp::spawn().await;
    app.ingest(vec![
        record("s1", "خبر رياضي", Some("sport")),
        record("e1", "خبر اقتصادي", Some("economy")),
    ])
    .await;
    let sport = app
        .get("/sections/sport")
        .await
        .text()
        .await
        .expect("sport");
    assert!(sport.contains("خبر رياضي") && !sport.contains("خبر اقتصادي"));

    // Sources and ids may hold slashes and spaces (real corpora do): the links still work.
    let mut odd = record("a/b c", "خبر بمعرف غريب", Some("sport"));
    odd.source = Some("saudinewsnet/okaz".into());
    app.ingest(vec![odd]).await;
    let r = app.get("/articles/saudinewsnet%2Fokaz/a%2Fb%20c").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.expect("body").contains("خبر بمعرف غريب"));
    let sport = app
        .get("/sections/sport")
        .await
        .text()
        .await
        .expect("sport");
    assert!(sport.contains("/articles/saudinewsnet%2Fokaz/a%2Fb%20c"));

    for path in [
        "/nope",
        "/sections/politics",
        "/articles/test/missing",
        "/tags/missing",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
        let html = r.text().await.expect("body");
        assert!(html.contains("الصفحة غير موجودة"), "{path}");
        assert!(html.contains(r#"dir="rtl""#));
    }
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), 200);
    let css = app
        .get("/static/style.css")
        .await
        .text()
        .await
        .expect("css");
    assert!(css.contains("margin-inline") && !css.contains("margin-left"));
}
