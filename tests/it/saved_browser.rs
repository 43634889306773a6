//! A real browser (chromium through chromedriver) saves an article from the home page with
//! the card button (the page stays where it is) and finds it in `/saved` by a word of its
//! body; and opens a 10,000-item HTML export as a right-to-left document.

use serde_json::{Value, json};

use crate::accounts_browser::Browser;
use crate::accounts_support::spawn_app;
use crate::helpers::databases;
use crate::saved_support::{Member, article};

pub(crate) async fn script(browser: &Browser, js: &str) -> Value {
    browser
        .cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
        .await
}

#[tokio::test]
async fn a_browser_saves_from_the_home_page_and_finds_it_by_a_word_of_its_body() {
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![
            article(
                "wire",
                "b1",
                "قمة اقتصادية في القاهرة",
                "ناقش الوزراء خطة الترشيد المائي للعام المقبل.",
            ),
            article("wire", "b2", "مباراة الديربي", "انتهت المباراة بالتعادل."),
        ])
        .await;
        let email = format!("browser-saver-{}@example.com", db.name);
        let _ = Member::new(&app, &email).await;
        browser.clear_cookies().await;
        browser.goto(&format!("{}/signin", app.addr)).await;
        browser.type_into("#signin-password #email", &email).await;
        browser
            .type_into("#signin-password #password", "saved password 1")
            .await;
        browser.click("#signin-password button[type=submit]").await;
        browser.wait_for_text("account-email").await;

        browser.goto(&format!("{}/", app.addr)).await;
        browser.wait_for_text("قمة اقتصادية في القاهرة").await;
        // Mark the page: a reload (the no-script path) would lose the mark.
        script(&browser, "window.stillHere = true;").await;
        browser
            .click(".latest form.save-toggle[action='/saved/wire/b1'] button")
            .await;
        let mut pressed = Value::Null;
        for _ in 0..50 {
            pressed = script(
                &browser,
                "var b = document.querySelector(\".latest form[action='/saved/wire/b1'] button\");\
                 return [b.getAttribute('aria-pressed'), window.stillHere === true];",
            )
            .await;
            if pressed[0] == "true" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(
            pressed,
            json!(["true", true]),
            "{}: saved in place",
            db.name
        );

        browser.goto(&format!("{}/saved", app.addr)).await;
        browser.type_into("#q", "الترشيد").await;
        browser.click("form.search button[type=submit]").await;
        let page = browser.wait_for_text("في محفوظاتك").await;
        assert!(page.contains("قمة اقتصادية في القاهرة"), "{}", db.name);
        assert!(page.contains("<mark>الترشيد</mark>"));
        assert!(!page.contains("مباراة الديربي"));
        app.state.store.close().await;
        db.drop_schema().await;
    }
    let _ = browser
        .http
        .delete(format!("{}/session/{}", browser.base, browser.session))
        .send()
        .await;
}

#[tokio::test]
async fn a_ten_thousand_item_html_export_opens_right_to_left_in_chromium() {
    let app = spawn_app("", "").await;
    let me = Member::new(&app, "html-export@example.com").await;
    let mut lines = String::new();
    for i in 0..10_000 {
        let rec = json!({"schema": "sahifa.saved/1", "source": "archive", "id": format!("x{i}"),
            "title": format!("عنوان الخبر {i}"), "body": ["نص الخبر <script>alert(1)</script>"],
            "saved_at": "2026-11-20T10:00:00Z"});
        lines.push_str(&rec.to_string());
        lines.push('\n');
    }
    let (status, report) = me.import(&app, lines).await;
    assert_eq!(
        (status, report["imported"].clone()),
        (200, 10_000.into()),
        "{report}"
    );
    let (status, _, html) = me.raw(&app, "/api/v1/saved/export?format=html").await;
    assert_eq!(status, 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("saved.html");
    std::fs::write(&file, html).expect("write export");

    let browser = Browser::start().await;
    browser.goto(&format!("file://{}", file.display())).await;
    let facts = script(
        &browser,
        "return [document.documentElement.lang, document.documentElement.dir,\
         getComputedStyle(document.body).direction, document.querySelectorAll('article').length,\
         document.querySelectorAll('article script').length, document.title];",
    )
    .await;
    assert_eq!(
        facts,
        json!(["ar", "rtl", "rtl", 10_000, 0, "مقالاتي المحفوظة — صحيفة"])
    );
    let _ = browser
        .http
        .delete(format!("{}/session/{}", browser.base, browser.session))
        .send()
        .await;
}
