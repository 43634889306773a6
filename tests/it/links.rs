//! Source links through every import format: only absolute `http(s)` links are kept, every
//! other scheme (script in any disguise) is dropped with a warning and the article kept, and
//! no `href` on any rendered page leads anywhere but `http(s)://` or this site.

use crate::helpers::{TestApp, databases, sahifa, stderr, stdout};

/// The schemes of the outside probe, then more of our own.
const BAD: &[&str] = &[
    "javascript:alert(document.domain)",
    "JAVASCRIPT:alert(document.domain)",
    "   javascript:alert(1)",
    "java\nscript:alert(1)",
    "\u{1}javascript:alert(1)",
    "\u{1f}\u{8}javascript:alert(1)",
    // our own
    "JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\rscript:alert(1)",
    "javascript\u{0}:alert(1)",
    "\u{202E}javascript:alert(1)",
    "\u{200B}javascript:alert(1)",
    "\u{FEFF}javascript:alert(1)",
    "javascript&#58;alert(1)",
    "%6Aavascript:alert(1)",
    "javascript:alert(1)//https://example.com/",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/a",
    "blob:https://example.com/0e1f",
    "about:blank",
    "mailto:editor@example.com",
    "tel:+9611000000",
    "view-source:https://example.com/",
    "ws://example.com/socket",
    "x-javascript:alert(1)",
    "//evil.example/a",
    "/\\evil.example/a",
    "\\\\evil.example\\a",
    "http:evil.example",
    "https:/evil.example",
    "http://",
    "https://exa mple.com/",
    "https://example.com/\u{202E}txt.exe",
    "https://example.com/\u{200D}a",
];

/// Kept (the second one trimmed, the third with its scheme in lower case).
const GOOD: &[(&str, &str)] = &[
    ("https://example.com/news/1", "https://example.com/news/1"),
    (
        "  http://example.com/a?b=1&c=2  ",
        "http://example.com/a?b=1&c=2",
    ),
    ("HTTPS://example.com/UP", "https://example.com/UP"),
];

/// Whether XML 1.0 can carry `s` at all (C0 controls other than tab, LF, CR cannot).
fn xml_safe(s: &str) -> bool {
    !s.chars()
        .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every link to test, as (id, link given), with whether it may be in XML.
fn cases(xml: bool) -> Vec<(String, &'static str)> {
    BAD.iter()
        .copied()
        .chain(GOOD.iter().map(|(given, _)| *given))
        .enumerate()
        .filter(|(_, u)| !xml || xml_safe(u))
        .map(|(i, u)| (format!("l{i}"), u))
        .collect()
}

fn body(i: &str) -> String {
    format!("نص الخبر {i} في فقرة كاملة تكفي لتكون مقالة.")
}

fn jsonl() -> String {
    cases(false)
        .iter()
        .map(|(id, u)| {
            serde_json::json!({"id": id, "title": format!("خبر {id}"), "body": body(id), "url": u})
                .to_string()
                + "\n"
        })
        .collect()
}

fn rss() -> String {
    let items: String = cases(true)
        .iter()
        .map(|(id, u)| {
            format!(
                "<item><guid>{id}</guid><title>خبر {id}</title><link>{}</link><description>{}</description></item>",
                xml_escape(u),
                body(id)
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link>{items}</channel></rss>"#
    )
}

fn atom() -> String {
    let entries: String = cases(true)
        .iter()
        .map(|(id, u)| {
            format!(
                r#"<entry><id>{id}</id><title>خبر {id}</title><link href="{}"/><updated>2026-11-29T08:00:00Z</updated><content type="html">{}</content></entry>"#,
                xml_escape(u),
                body(id)
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>t</title><updated>2026-11-29T08:00:00Z</updated>{entries}</feed>"#
    )
}

fn json_feed() -> String {
    let items: Vec<serde_json::Value> = cases(false)
        .iter()
        .map(|(id, u)| {
            serde_json::json!({"id": id, "title": format!("خبر {id}"), "content_text": body(id), "url": u})
        })
        .collect();
    serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": items})
        .to_string()
}

fn html_page() -> String {
    format!(
        r#"<!doctype html><html><head><title>خبر الصفحة</title>
<link rel="canonical" href="javascript:alert(document.domain)">
<meta property="og:url" content="javascript:alert(document.domain)"></head>
<body><article><h1>خبر الصفحة</h1><p>{}</p><p>{}</p><p><a href="javascript:alert(1)">رابط</a></p></article></body></html>"#,
        body("الأولى").repeat(4),
        body("الثانية").repeat(4)
    )
}

/// Every `href` value of a page, unescaped enough to see its start.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&").replace("&#x2f;", "/"))
        .collect()
}

fn allowed(href: &str) -> bool {
    href.starts_with("http://")
        || href.starts_with("https://")
        || (href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\"))
        // the page's own skip link
        || href == "#main"
}

#[tokio::test]
async fn only_http_links_survive_every_format_and_no_page_links_elsewhere() {
    let files = [
        ("links.jsonl", jsonl(), cases(false).len(), "jsonl"),
        ("links.rss", rss(), cases(true).len(), "rss"),
        ("links.atom", atom(), cases(true).len(), "atom"),
        ("links.json", json_feed(), cases(false).len(), "jsonfeed"),
    ];
    let tmp = tempfile::tempdir().expect("tempdir");
    for db in databases(tmp.path()).await {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut expected = 0;
        for (name, text, n, source) in &files {
            let file = dir.path().join(name);
            std::fs::write(&file, text).expect("write");
            let first = format!("{}:1: url: dropped: ", file.display());
            let (data, url, source) = (dir.path().to_path_buf(), db.url.clone(), *source);
            let out = tokio::task::spawn_blocking(move || {
                let args = ["import", "--source", source, file.to_str().expect("path")];
                sahifa(&data, Some(&url), &args)
            })
            .await
            .expect("join");
            assert!(
                out.status.success(),
                "{}: {name}: {}",
                db.name,
                stderr(&out)
            );
            let warned = stderr(&out)
                .lines()
                .filter(|l| l.contains(": url: dropped:"))
                .count();
            assert_eq!(
                stdout(&out).trim(),
                format!("imported {n}, unchanged 0, rejected 0, warnings {warned}"),
                "{}: {name}: {}",
                db.name,
                stderr(&out)
            );
            // JSON Lines hands every link over as written; feed-rs already resolves a few
            // (`http:evil.example`, percent-encoded paths) into plain http addresses.
            let bad = n - GOOD.len();
            if source == "jsonl" {
                assert_eq!(warned, bad, "{}: {name}: {}", db.name, stderr(&out));
                assert!(
                    stderr(&out).lines().any(|l| l.starts_with(&first)),
                    "{}",
                    stderr(&out)
                );
            } else {
                assert!(warned + 4 >= bad, "{}: {name}: {}", db.name, stderr(&out));
            }
            expected += n;
        }
        let page = dir.path().join("page.html");
        std::fs::write(&page, html_page()).expect("write");
        let (data, url) = (dir.path().to_path_buf(), db.url.clone());
        let out = tokio::task::spawn_blocking(move || {
            sahifa(
                &data,
                Some(&url),
                &["import", "--source", "html", page.to_str().expect("p")],
            )
        })
        .await
        .expect("join");
        assert!(out.status.success(), "{}: {}", db.name, stderr(&out));
        assert!(stdout(&out).starts_with("imported 1,"), "{}", stdout(&out));
        expected += 1;

        let app = TestApp::spawn_on(dir, &db.url).await;
        let all = app.state.store.latest(1000, 0).await.expect("latest");
        assert_eq!(all.len(), expected, "{}: every article is kept", db.name);
        for a in &all {
            if let Some(u) = &a.url {
                let resolved = a.source != "jsonl"
                    && (u.starts_with("http://") || u.starts_with("https://"))
                    && !u.contains(char::is_whitespace);
                assert!(
                    resolved || GOOD.iter().any(|(_, kept)| kept == u),
                    "{}: {}/{} stored {u:?}",
                    db.name,
                    a.source,
                    a.id
                );
            }
        }
        for (given, kept) in GOOD {
            let with = all
                .iter()
                .filter(|a| a.url.as_deref() == Some(kept))
                .count();
            assert_eq!(with, 4, "{}: {given:?} is kept in every format", db.name);
        }

        let mut pages = vec!["/".to_string(), "/search?q=%D8%AE%D8%A8%D8%B1".to_string()];
        pages.extend(
            all.iter()
                .map(|a| sahifa::web::pages::article_href(&a.source, &a.id)),
        );
        let mut seen = 0;
        for path in &pages {
            let res = app.get(path).await;
            assert_eq!(res.status(), 200, "{}: {path}", db.name);
            let html = res.text().await.expect("body");
            for h in hrefs(&html) {
                assert!(allowed(&h), "{}: {path} links to {h:?}", db.name);
                seen += 1;
            }
            assert!(!html.contains("javascript:"), "{}: {path}", db.name);
        }
        assert!(
            seen > pages.len() * 10,
            "{}: hrefs were read ({seen})",
            db.name
        );
        for a in &all {
            let api = format!("/api/v1/articles/{}/{}", a.source, a.id);
            let json: serde_json::Value = app.get(&api).await.json().await.expect("json");
            let u = &json["url"];
            assert!(
                u.is_null()
                    || u.as_str()
                        .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://")),
                "{}: {api} gives url {u}",
                db.name
            );
        }
        db.drop_schema().await;
    }
}
