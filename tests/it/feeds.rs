//! Feeds out over real HTTP: RSS, Atom and JSON Feed of the latest articles, a section, a
//! tag and a source, each parsed by feed-rs and by Python's feedparser (bozo = 0).

use std::io::Write;
use std::process::{Command, Stdio};

use sahifa::ingest::Incoming;

use crate::helpers::TestApp;

fn record(id: &str, title: &str, section: &str, when: &str) -> Incoming {
    Incoming {
        id: Some(id.into()),
        title: Some(title.into()),
        subtitle: Some("تفاصيل <الخبر> & خلفياته".into()),
        body:
            "قال مسؤول في بنغازي إن الوضع في ليبيا يتحسن.\nوأضاف أن الحكومة الليبية تعمل على ذلك."
                .into(),
        category: Some(section.into()),
        source: Some("wire".into()),
        url: Some(format!("https://news.example/{id}")),
        published: sahifa::ingest::jsonl::parse_time(when),
        ..Incoming::default()
    }
}

/// Python's feedparser on `body` served as `content_type`: (bozo, entries, first title).
fn feedparser(body: &[u8], content_type: &str) -> (String, usize, String) {
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    // feedparser 6 reads RSS and Atom; it has no JSON Feed reader (that is in its unreleased
    // 7.0), so JSON Feeds get Python's json and JSON Feed 1.1's required fields instead.
    let script = "import sys, json, feedparser\n\
        raw = sys.stdin.buffer.read()\n\
        if 'json' in sys.argv[1]:\n\
        \x20   d = json.loads(raw)\n\
        \x20   ok = d['version'] == 'https://jsonfeed.org/version/1.1' and d['title'] and all(\n\
        \x20       isinstance(i['id'], str) and ('content_html' in i or 'content_text' in i) for i in d['items'])\n\
        \x20   print(0 if ok else 1, 'json')\n\
        \x20   print(len(d['items']))\n\
        \x20   print(d['items'][0]['title'] if d['items'] else '')\n\
        else:\n\
        \x20   d = feedparser.parse(raw, response_headers={'content-type': sys.argv[1]})\n\
        \x20   print(int(d.bozo), repr(d.get('bozo_exception')))\n\
        \x20   print(len(d.entries))\n\
        \x20   print(d.entries[0].title if d.entries else '')\n";
    let mut child = Command::new(python)
        .args(["-c", script, content_type])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (scripts/test installs python3-feedparser)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(body)
        .expect("write");
    let out = child.wait_with_output().expect("feedparser");
    assert!(
        out.status.success(),
        "feedparser: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let bozo = lines.next().unwrap_or("").to_string();
    let n = lines.next().and_then(|l| l.parse().ok()).unwrap_or(0);
    (bozo, n, lines.next().unwrap_or("").to_string())
}

#[tokio::test]
async fn every_feed_parses_with_feed_rs_and_feedparser_and_lists_the_newest() {
    let app = TestApp::spawn().await;
    app.ingest(vec![
        record(
            "m1",
            "الأول في الشرق الأوسط",
            "middleEast",
            "2026-11-27T09:00:00Z",
        ),
        record(
            "m2",
            "الثاني في الشرق الأوسط",
            "middleEast",
            "2026-11-28T09:00:00Z",
        ),
        record(
            "m3",
            "الثالث <b>&</b> الأحدث",
            "middleEast",
            "2026-11-29T09:00:00Z",
        ),
        record("s1", "مباراة الأمس", "sport", "2026-11-30T09:00:00Z"),
    ])
    .await;
    let tag = sahifa::web::pages::encode(
        &crate::helpers::stored_article(&app.state.store, "wire", "m1")
            .await
            .tags
            .first()
            .expect("the article has a tag")
            .slug,
    );
    let feeds = [
        ("latest".to_string(), 4),
        ("sections/middleEast".into(), 3),
        (format!("tags/{tag}"), 4),
        ("sources/wire".into(), 4),
    ];
    for (base, count) in &feeds {
        for (ext, kind) in [
            ("rss", "application/rss+xml"),
            ("atom", "application/atom+xml"),
            ("json", "application/feed+json"),
        ] {
            let path = format!("/feeds/{base}.{ext}");
            let r = app.get(&path).await;
            assert_eq!(r.status(), 200, "{path}");
            let ct = r.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .to_string();
            assert!(ct.starts_with(kind), "{path}: {ct}");
            let body = r.bytes().await.expect("body");
            let feed = feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(feed.entries.len(), *count, "{path}");
            let titles: Vec<String> = feed
                .entries
                .iter()
                .map(|e| {
                    e.title
                        .as_ref()
                        .map(|t| t.content.clone())
                        .unwrap_or_default()
                })
                .collect();
            if base == "sections/middleEast" {
                // That section's newest first, and nothing from another section.
                assert_eq!(
                    titles,
                    [
                        "الثالث <b>&</b> الأحدث",
                        "الثاني في الشرق الأوسط",
                        "الأول في الشرق الأوسط"
                    ],
                    "{path}"
                );
            }
            if base == "latest" {
                assert_eq!(titles[0], "مباراة الأمس", "{path}");
            }
            let link = feed.entries[0]
                .links
                .first()
                .map(|l| l.href.clone())
                .unwrap_or_default();
            assert!(
                link.starts_with("http") && link.contains("/articles/wire/"),
                "{path}: {link}"
            );
            let (bozo, n, first) = feedparser(&body, &ct);
            assert!(bozo.starts_with('0'), "{path}: feedparser bozo {bozo}");
            assert_eq!((n, first.as_str()), (*count, titles[0].as_str()), "{path}");
            // Right-to-left text is marked as such.
            let text = String::from_utf8_lossy(&body);
            match ext {
                "rss" => assert!(text.contains("<language>ar</language>"), "{path}"),
                "atom" => assert!(text.contains(r#"xml:lang="ar""#), "{path}"),
                _ => assert!(text.contains(r#""language":"ar""#), "{path}"),
            }
            assert!(text.contains("dir=") && text.contains("rtl"), "{path}");
        }
    }
    for path in [
        "/feeds/sections/politics.rss",
        "/feeds/latest.xml",
        "/feeds/sources/nobody.json",
        "/feeds/tags/no-such-tag.atom",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
    // Pages link their feeds.
    let page = app
        .get("/sections/middleEast")
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml""#));
    assert!(
        page.contains(r#"href="/feeds/sections/middleEast.atom""#),
        "{page}"
    );
    let home = app.get("/").await.text().await.expect("home");
    assert!(home.contains(r#"href="/feeds/latest.rss""#));
}
