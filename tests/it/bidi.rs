//! Direction controls and invisible characters (issue 17, point 5): stored titles, subtitles,
//! bodies and tag names lose overrides and unclosed embeddings and isolates, on every way in
//! (JSON Lines, a feed, the desk, a saved-articles import); identifiers that hold invisible
//! characters are refused with an error naming the field, a link holding one is dropped with
//! a warning and its article kept.

use serde_json::{Value, json};

use crate::accounts_support::{spawn_app, submit};
use crate::helpers::{TestApp, databases, sahifa, stderr, stdout, stored_article};
use crate::saved_support::Member;

const RLO: char = '\u{202E}';

/// Direction and invisible characters that must not reach a stored display text.
fn abusive(s: &str) -> bool {
    s.contains(['\u{202A}', '\u{202B}', '\u{202D}', '\u{202E}'])
        || s.contains('\u{2066}') && !s.contains('\u{2069}')
}

async fn import(dir: &std::path::Path, url: &str, name: &str, text: &str) -> (String, String) {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("write");
    let (data, url) = (dir.to_path_buf(), url.to_string());
    let out = tokio::task::spawn_blocking(move || {
        let args = ["import", "--source", "wire", file.to_str().expect("path")];
        sahifa(&data, Some(&url), &args)
    })
    .await
    .expect("join");
    (stdout(&out), stderr(&out))
}

fn record(id: &str, source: Option<&str>, url: Option<&str>) -> String {
    let mut r = json!({
        "id": id,
        "title": format!("abc.{RLO}txt.exe {id}"),
        "subtitle": "عنوان \u{2067}فرعي",
        "body": format!("نص الخبر {id} وفيه (\u{2067}ليبيا\u{2069}) بين علامتين.\nو{RLO}فقرة ثانية عن مي\u{200C}خواهم."),
    });
    if let Some(s) = source {
        r["source"] = json!(s);
    }
    if let Some(u) = url {
        r["url"] = json!(u);
    }
    r.to_string() + "\n"
}

#[tokio::test]
async fn direction_controls_are_stripped_and_invisible_identifiers_refused_on_every_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for db in databases(tmp.path()).await {
        let dir = tempfile::tempdir().expect("tempdir");
        // JSON Lines: one clean record, a source and an id with invisible characters
        // (refused, naming the field and the line), a link with one (dropped, kept).
        let lines = [
            record("b1", None, None),
            record("b2", Some("wire\u{200B}"), None),
            record("b3\u{202E}", None, None),
            record("b4", None, Some("https://example.com/\u{2060}a")),
            record("b5\u{FEFF}", None, None),
        ]
        .concat();
        let (out, err) = import(dir.path(), &db.url, "bidi.jsonl", &lines).await;
        assert_eq!(
            out.trim(),
            "imported 2, unchanged 0, rejected 3, warnings 1",
            "{}: {err}",
            db.name
        );
        assert!(
            err.contains(":2: field `source`: holds the invisible or direction character U+200B"),
            "{}: {err}",
            db.name
        );
        assert!(
            err.contains(":3: field `id`") && err.contains("U+202E"),
            "{err}"
        );
        assert!(
            err.contains(":5: field `id`") && err.contains("U+FEFF"),
            "{err}"
        );
        assert!(
            err.contains(":4: url: dropped:") && err.contains("U+2060"),
            "{err}"
        );
        // An RSS feed goes through the same pipeline.
        let rss = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link><item><guid>r1</guid><title>abc.{RLO}txt.exe</title><link>https://example.com/r1</link><description>نص {RLO}الخبر في فقرة كاملة تكفي لتكون مقالة.</description></item></channel></rss>"#
        );
        let (out, err) = import(dir.path(), &db.url, "bidi.rss", &rss).await;
        assert!(out.starts_with("imported 1,"), "{}: {out} {err}", db.name);

        let app = TestApp::spawn_on(dir, &db.url).await;
        let a = stored_article(&app.state.store, "wire", "b1").await;
        assert_eq!(a.title, "abc.txt.exe b1", "{}", db.name);
        assert_eq!(a.subtitle.as_deref(), Some("عنوان فرعي"));
        assert_eq!(
            a.body,
            vec![
                "نص الخبر b1 وفيه (\u{2067}ليبيا\u{2069}) بين علامتين.",
                "وفقرة ثانية عن مي\u{200C}خواهم.",
            ],
            "{}: balanced isolates and a joiner inside a word are kept",
            db.name
        );
        let b4 = stored_article(&app.state.store, "wire", "b4").await;
        assert_eq!(b4.url, None, "{}", db.name);
        let r1 = stored_article(&app.state.store, "wire", "r1").await;
        assert_eq!(r1.title, "abc.txt.exe", "{}", db.name);
        assert!(!abusive(&r1.body.join("\n")), "{}: {:?}", db.name, r1.body);
        let page = app
            .get("/articles/wire/b1")
            .await
            .text()
            .await
            .expect("page");
        assert!(
            !page.contains(RLO),
            "{}: the page shows no override",
            db.name
        );
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn the_desk_and_the_api_refuse_or_strip_them_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for db in databases(tmp.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.state
            .accounts
            .add_user(
                "desk@example.com",
                "editor password",
                sahifa::accounts::Role::Editor,
                true,
            )
            .await
            .expect("editor");
        let editor = crate::accounts_support::client();
        let (status, _, _) =
            crate::accounts_support::sign_in(&editor, &app, "desk@example.com", "editor password")
                .await;
        assert_eq!(status, 303);
        let title = format!("abc.{RLO}txt.exe");
        let body = format!("فقرة {RLO}أولى.\nفقرة \u{2066}ثانية.");
        let tags = format!("ليبيا{RLO}، \u{202B}اقتصاد");
        let (status, location, page) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &[
                ("title", &title),
                ("subtitle", "\u{202D}فرعي"),
                ("body", &body),
                ("tags", &tags),
                ("action", "publish"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{}: {page}", db.name);
        let id = location
            .expect("location")
            .rsplit('/')
            .next()
            .expect("id")
            .to_string();
        let a = stored_article(&app.state.store, "desk", &id).await;
        assert_eq!(a.title, "abc.txt.exe", "{}", db.name);
        assert_eq!(a.subtitle.as_deref(), Some("فرعي"));
        assert_eq!(a.body, vec!["فقرة أولى.", "فقرة ثانية."], "{}", db.name);
        let mut names: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["اقتصاد", "ليبيا"], "{}", db.name);

        // The API: identifiers with invisible characters are refused, naming the field.
        let m = Member::new(&app, "reader@example.com").await;
        let auth = format!("Bearer {}", m.token);
        let http = crate::accounts_support::client();
        let r = http
            .put(format!("{}/api/v1/saved/desk/{id}%E2%80%8B", app.addr))
            .header("authorization", &auth)
            .send()
            .await
            .expect("PUT");
        assert_eq!(r.status(), 400, "{}", db.name);
        let e: Value = r.json().await.expect("json");
        assert!(e.to_string().contains("`id`"), "{e}");
        let r = http
            .post(format!("{}/api/v1/events", app.addr))
            .header("authorization", &auth)
            .json(&json!({"type": "open", "source": "desk\u{200D}", "id": id}))
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 400, "{}", db.name);
        let e: Value = r.json().await.expect("json");
        assert!(e.to_string().contains("`source`"), "{e}");
        let r = http
            .get(format!("{}/api/v1/articles/desk%E2%80%AE/{id}", app.addr))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 400, "{}", db.name);
        // A saved-articles import: the line is refused naming its field, the title cleaned.
        let lines = [
            json!({"schema": "sahifa.saved/1", "source": "x\u{2060}", "id": "1", "title": "t", "body": ["b"]}),
            json!({"schema": "sahifa.saved/1", "source": "x", "id": "2", "title": format!("abc.{RLO}txt.exe"), "body": ["b"], "url": "https://e.example/\u{200B}"}),
        ]
        .map(|l| l.to_string() + "\n")
        .concat();
        let r = http
            .post(format!("{}/api/v1/saved/import", app.addr))
            .header("authorization", &auth)
            .header("content-type", "application/x-ndjson")
            .body(lines)
            .send()
            .await
            .expect("import");
        assert_eq!(r.status(), 200, "{}", db.name);
        let report: Value = r.json().await.expect("json");
        assert_eq!(report["imported"], 1, "{report}");
        assert_eq!(report["errors"][0]["field"], "source", "{report}");
        assert_eq!(report["warned"][0]["field"], "url", "{report}");
        let r = http
            .get(format!("{}/api/v1/saved/x/2", app.addr))
            .header("authorization", &auth)
            .send()
            .await
            .expect("GET saved");
        let saved: Value = r.json().await.expect("json");
        assert_eq!(saved["title"], "abc.txt.exe", "{}: {saved}", db.name);
        db.drop_schema().await;
    }
}
