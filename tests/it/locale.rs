//! Locales: Arabic plurals on the search page, the English locale picked by the switcher,
//! its cookie and Accept-Language, and no Arabic UI string left on English pages.

use sahifa::ingest::Incoming;

use crate::helpers::TestApp;

/// Whether `c` is an Arabic letter (or Arabic punctuation).
fn arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

const VOID: [&str; 8] = ["input", "meta", "link", "br", "img", "hr", "source", "wbr"];

/// Arabic text on `html` outside elements marked `dir="auto"` or `lang="ar"` (article
/// text, which stays as written): text nodes and attribute values, with their place.
pub fn arabic_outside_marked_text(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Stack of (tag, Arabic allowed here).
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let allowed = stack.last().is_some_and(|s| s.1);
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                let tag = &rest[..end];
                rest = &rest[end..];
                if let Some(name) = tag.strip_prefix("</") {
                    let name = name.trim_end_matches('>').trim().to_ascii_lowercase();
                    if let Some(pos) = stack.iter().rposition(|(n, _)| *n == name) {
                        stack.truncate(pos);
                    }
                    continue;
                }
                if tag.starts_with("<!") {
                    continue;
                }
                let name: String = tag[1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let marks = tag.contains(r#"dir="auto""#) || tag.contains(r#"lang="ar""#);
                let here = allowed || marks;
                if !here && tag.chars().any(arabic) {
                    found.push(format!("attribute in {tag}"));
                }
                if !VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
                    stack.push((name, here));
                }
            }
            next => {
                let end = next.unwrap_or(rest.len());
                let text = &rest[..end];
                if !allowed && text.chars().any(arabic) {
                    let open: Vec<&str> = stack.iter().map(|s| s.0.as_str()).collect();
                    found.push(format!("{:?} in {}", text.trim(), open.join(">")));
                }
                rest = &rest[end..];
            }
        }
    }
    found
}

fn article(id: &str, title: &str, body: &str) -> Incoming {
    Incoming {
        id: Some(id.into()),
        title: Some(title.into()),
        subtitle: Some("عنوان فرعي للخبر".into()),
        body: body.into(),
        category: Some("middleEast".into()),
        published: sahifa::ingest::jsonl::parse_time("2026-11-29T09:00:00+03:00"),
        ..Incoming::default()
    }
}

async fn page(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert!(
        r.status().is_success() || [400, 404].contains(&r.status().as_u16()),
        "{path}: {}",
        r.status()
    );
    r.text().await.expect("body")
}

#[tokio::test]
async fn search_counts_read_as_arabic_speaks_and_as_english_does() {
    let app = TestApp::spawn().await;
    // Word k is in the first n_k articles: 1, 2, 3, 11 and 100 hits.
    let words = [
        ("غدامس", 1),
        ("مرزق", 2),
        ("زوارة", 3),
        ("ترهونة", 11),
        ("الكفرة", 100),
    ];
    let records = (0..100)
        .map(|i| {
            let body: Vec<&str> = words
                .iter()
                .filter(|(_, n)| i < *n)
                .map(|(w, _)| *w)
                .collect();
            article(
                &format!("a{i}"),
                &format!("خبر رقم {i}"),
                &format!("وصل الوفد إلى {}", body.join(" و")),
            )
        })
        .collect();
    app.ingest(records).await;
    let expect_ar = ["نتيجة واحدة", "نتيجتان", "3 نتائج", "11 نتيجة", "100 نتيجة"];
    let expect_en = [
        "1 result",
        "2 results",
        "3 results",
        "11 results",
        "100 results",
    ];
    for (((word, _), ar), en) in words.iter().zip(expect_ar).zip(expect_en) {
        let q = sahifa::web::pages::encode(word);
        let html = page(&app, &format!("/search?q={q}&lang=ar")).await;
        assert!(
            html.contains(&format!(r#"role="status">{ar}</p>"#)),
            "{word}: {ar}\n{html}"
        );
        let html = page(&app, &format!("/search?q={q}&lang=en")).await;
        assert!(
            html.contains(&format!(r#"role="status">{en}</p>"#)),
            "{word}: {en}"
        );
    }
}

#[tokio::test]
async fn english_pages_have_no_arabic_ui_string_and_keep_the_article_text() {
    let app = TestApp::spawn().await;
    sahifa::demo::load(&app.state.newsroom).await.expect("demo");
    let tag = app
        .state
        .store
        .article("asharq-alawsat", "libya-benghazi-haftar")
        .await
        .expect("read")
        .and_then(|a| a.tags.first().map(|t| t.slug.clone()))
        .expect("the fixture has tags");
    let q = sahifa::web::pages::encode("ليبيا");
    for path in [
        "/".to_string(),
        "/articles/asharq-alawsat/libya-benghazi-haftar".into(),
        format!("/search?q={q}"),
        format!("/search?q={q}&from=yesterday"),
        "/sections/middleEast".into(),
        format!("/tags/{}", sahifa::web::pages::encode(&tag)),
        "/signin".into(),
        "/signup".into(),
        "/reset".into(),
        "/feeds/nothing.rss".into(),
        "/no/such/page".into(),
    ] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let html = page(&app, &format!("{path}{sep}lang=en")).await;
        assert!(html.contains(r#"<html lang="en" dir="ltr">"#), "{path}");
        let left = arabic_outside_marked_text(&html);
        assert!(
            left.is_empty(),
            "{path}: Arabic UI text left:\n{}",
            left.join("\n")
        );
        // The same page in Arabic, were it not marked lang="ar", fails the check.
        let ar = page(&app, &format!("{path}{sep}lang=ar")).await;
        assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#), "{path}");
        let unmarked = ar.replace(r#"<html lang="ar""#, r#"<html lang="xx""#);
        assert!(arabic_outside_marked_text(&unmarked).len() > 5, "{path}");
    }
    let html = page(
        &app,
        "/articles/asharq-alawsat/libya-benghazi-haftar?lang=en",
    )
    .await;
    assert!(html.contains("حفتر ينفي طلب أي أسلحة من روسيا لمحاربة الإرهابيين"));
    assert!(
        html.contains("Source:") && html.contains(" AH)"),
        "English labels and Hijri date"
    );
}

#[tokio::test]
async fn the_switcher_sets_a_cookie_that_later_pages_follow() {
    let app = TestApp::spawn().await;
    let home = page(&app, "/").await;
    assert!(
        home.contains(r#"<html lang="ar" dir="rtl">"#),
        "Arabic by default"
    );
    assert!(home.contains(r#"href="/?lang=en""#), "switcher on the page");
    let r = app.get("/search?q=x&lang=en").await;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert_eq!(
        r.headers().get("content-language").map(|v| v.as_bytes()),
        Some(&b"en"[..])
    );
    let body = r.text().await.expect("body");
    assert!(
        body.contains(r#"href="/search?q=x&#38;lang=ar""#),
        "switcher keeps the query"
    );
    // The cookie store sends lang=en from now on.
    let home = page(&app, "/").await;
    assert!(home.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(
        home.contains(r#"lang="ar" hreflang="ar""#),
        "switch back to Arabic"
    );
    page(&app, "/?lang=ar").await;
    assert!(
        page(&app, "/sections/sport")
            .await
            .contains(r#"<html lang="ar""#)
    );

    // A new reader whose browser asks for English gets English, unless they chose Arabic.
    let fresh = reqwest::Client::new();
    let get = |lang: &'static str, cookie: Option<&'static str>| {
        let mut req = fresh
            .get(format!("{}/", app.addr))
            .header("accept-language", lang);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        async move { req.send().await.expect("GET").text().await.expect("body") }
    };
    assert!(
        get("en-GB,en;q=0.9", None)
            .await
            .contains(r#"<html lang="en""#)
    );
    assert!(
        get("fr, ar;q=0.5", None)
            .await
            .contains(r#"<html lang="ar""#)
    );
    assert!(
        get("en-GB", Some("lang=ar"))
            .await
            .contains(r#"<html lang="ar""#)
    );
}

#[tokio::test]
async fn a_members_choice_is_stored_and_follows_them_to_another_browser() {
    let app = TestApp::spawn().await;
    let email = "reader@example.com";
    app.state
        .accounts
        .add_user(
            email,
            "long password 1",
            sahifa::accounts::Role::Reader,
            true,
        )
        .await
        .expect("member");
    let (status, _, _) =
        crate::accounts_support::sign_in(&app.client, &app, email, "long password 1").await;
    assert_eq!(status, 303);
    let account = page(&app, "/account").await;
    assert!(
        account.contains(r#"<html lang="ar""#),
        "the member's setting starts Arabic"
    );
    assert!(account.contains(r#"id="account-email">reader@example.com"#));
    let en = page(&app, "/account?lang=en").await;
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#));
    let left = arabic_outside_marked_text(&en);
    assert!(
        left.is_empty(),
        "/account: Arabic UI text left:\n{}",
        left.join("\n")
    );
    assert!(
        en.contains("My account") && en.contains("Sign out"),
        "account menu in English"
    );

    // Another browser, asking for Arabic and with no cookie: the stored choice wins.
    let other = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let (status, _, _) =
        crate::accounts_support::sign_in(&other, &app, email, "long password 1").await;
    assert_eq!(status, 303);
    let html = other
        .get(format!("{}/account", app.addr))
        .header("accept-language", "ar")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        html.contains(r#"<html lang="en" dir="ltr">"#),
        "member setting followed"
    );
}
