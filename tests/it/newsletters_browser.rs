//! A newsletter mail as a reader's mail client shows it: the HTML part the real SMTP
//! server received, opened in chromium, lays out right to left (the document, the mail's
//! own wrapper, which survives clients that drop `<html dir>`, and each story's text).

use serde_json::json;

use crate::accounts_browser::Browser;
use crate::accounts_support::{SmtpSink, spawn_with};
use crate::newsletters_support::{articles, import_subscribers, settled};
use crate::saved_browser::script;

#[tokio::test]
async fn the_mail_html_is_right_to_left_in_chromium() {
    let sink = SmtpSink::start();
    let app = spawn_with("", &sink.url(), |_| {}).await;
    app.ingest(articles(6, &[2])).await;
    let nl = &app.state.newsletters;
    nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
        .await
        .expect("add");
    import_subscribers(&app, "brief", &["reader@example.com".to_string()], "").await;
    let brief = nl.by_slug("brief").await.expect("q").expect("brief");
    let (edition, _) = nl.send_now(&brief).await.expect("send");
    settled(&app, edition.pk).await;
    let mail = sink.wait_for("reader@example.com", 1).await.remove(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mail.html");
    std::fs::write(&file, mail.html.as_deref().expect("html part")).expect("write");

    let browser = Browser::start().await;
    browser.goto(&format!("file://{}", file.display())).await;
    let facts = script(
        &browser,
        "const wrap = document.querySelector('[role=article]');\
         const link = document.querySelector('a[href*=\"/articles/\"]');\
         const box = link.parentElement;\
         const r = link.getBoundingClientRect(), b = box.getBoundingClientRect();\
         return [document.documentElement.lang, document.documentElement.dir,\
           getComputedStyle(document.body).direction, wrap.lang,\
           getComputedStyle(wrap).direction, getComputedStyle(box).direction,\
           getComputedStyle(box).textAlign, Math.abs(b.right - r.right) < 2,\
           link.textContent.includes('خبر رقم')];",
    )
    .await;
    assert_eq!(
        facts,
        json!(["ar", "rtl", "rtl", "ar", "rtl", "rtl", "right", true, true]),
        "{facts}"
    );
    let _ = browser
        .http
        .delete(format!("{}/session/{}", browser.base, browser.session))
        .send()
        .await;
}
