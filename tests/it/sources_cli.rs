//! `sahifa source …`, `sahifa poll --once` and feed-file imports through the real binary:
//! OPML round trip into a fresh data folder, `SAHIFA_FETCH_ALLOW`, list and remove, and
//! windows-1256 / ISO-8859-6 feed files.

use std::path::Path;
use std::process::{Command, Output};

use crate::feed_server::{FeedServer, entries};
use crate::helpers::{fixtures, sahifa, stderr, stdout};

const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>قائمتي</title></head><body>
  <outline text="أخبار" title="أخبار">
    <outline text="ليبيا">
      <outline type="rss" text="بوابة الوسط" xmlUrl="https://alwasat.example/feed"/>
      <outline type="rss" text="ليبيا المستقبل" xmlUrl="https://libya-al-mostakbal.example/rss?x=1&amp;y=2"/>
    </outline>
  </outline>
  <outline text="sport"><outline type="rss" text="كووورة" xmlUrl="https://kooora.example/rss"/></outline>
  <outline type="rss" text="Loose" xmlUrl="https://loose.example/feed.json" category="/tech/ai"/>
</body></opml>"#;

fn sources_json(data: &Path) -> Vec<serde_json::Value> {
    let out = sahifa(data, None, &["source", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// What must survive a round trip: name, URL, section, category, interval.
fn essentials(list: &[serde_json::Value]) -> Vec<String> {
    list.iter()
        .map(|s| {
            format!(
                "{} {} {} {} {}",
                s["name"], s["url"], s["section"], s["category"], s["every"]
            )
        })
        .collect()
}

#[test]
fn opml_exported_then_imported_into_a_fresh_folder_gives_the_same_sources_and_sections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("mine.opml");
    std::fs::write(&file, OPML).expect("write");
    let first = dir.path().join("first");
    let out = sahifa(
        &first,
        None,
        &["source", "opml", "import", file.to_str().expect("p")],
    );
    assert_eq!(
        stdout(&out).trim(),
        "added 4, existing 0, rejected 0",
        "{}",
        stderr(&out)
    );
    let out = sahifa(
        &first,
        None,
        &[
            "source",
            "add",
            "wire",
            "https://wire.example/atom",
            "--every",
            "2h",
            "--section",
            "economy",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let before = sources_json(&first);
    assert_eq!(before.len(), 5);
    let wasat = before
        .iter()
        .find(|s| s["url"] == "https://alwasat.example/feed")
        .expect("wasat");
    assert_eq!(wasat["category"], "أخبار/ليبيا");
    let kooora = before
        .iter()
        .find(|s| s["url"] == "https://kooora.example/rss")
        .expect("kooora");
    assert_eq!(kooora["section"], "sport");
    let exported = sahifa(&first, None, &["source", "opml", "export"]);
    assert!(exported.status.success());
    let opml = dir.path().join("exported.opml");
    std::fs::write(&opml, &exported.stdout).expect("write");
    let second = dir.path().join("second");
    let out = sahifa(
        &second,
        None,
        &["source", "opml", "import", opml.to_str().expect("p")],
    );
    assert_eq!(
        stdout(&out).trim(),
        "added 5, existing 0, rejected 0",
        "{}",
        stderr(&out)
    );
    assert_eq!(essentials(&sources_json(&second)), essentials(&before));
    let again = sahifa(&second, None, &["source", "opml", "export"]);
    assert_eq!(stdout(&again), stdout(&exported), "export is stable");
    // Importing it again adds nothing.
    let out = sahifa(
        &second,
        None,
        &["source", "opml", "import", opml.to_str().expect("p")],
    );
    assert_eq!(stdout(&out).trim(), "added 0, existing 5, rejected 0");
}

#[test]
fn bad_sources_are_refused_with_the_field_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("d");
    for (args, needle) in [
        (
            vec!["source", "add", "a b", "https://x.example/"],
            "source name",
        ),
        (vec!["source", "add", "a", "file:///etc/passwd"], "URL"),
        (
            vec!["source", "add", "a", "https://x.example/", "--every", "3w"],
            "interval",
        ),
        (
            vec![
                "source",
                "add",
                "a",
                "https://x.example/",
                "--section",
                "weather",
            ],
            "section",
        ),
    ] {
        let out = sahifa(&data, None, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
    assert!(
        sahifa(&data, None, &["source", "add", "a", "https://x.example/"])
            .status
            .success()
    );
    let dup = sahifa(&data, None, &["source", "add", "a", "https://y.example/"]);
    assert!(stderr(&dup).contains("already exists"), "{}", stderr(&dup));
}

fn sahifa_env(data: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sahifa"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env_remove("SAHIFA_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run sahifa")
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_once_fetches_every_source_when_loopback_is_allowed_and_remove_takes_its_articles() {
    let server = FeedServer::start().await;
    server.set_entries("cli", entries("cli", 3));
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("d");
    let url = server.url("/rss/cli");
    let run = move |env: Vec<(&'static str, &'static str)>, args: Vec<String>| {
        let data = data.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            sahifa_env(&data, &env, &args)
        })
    };
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let out = run(vec![], s(&["source", "add", "cli", &url]))
        .await
        .expect("join");
    assert!(out.status.success(), "{}", stderr(&out));
    // Not allowed: refused, and said so.
    let out = run(vec![], s(&["poll", "--once"])).await.expect("join");
    assert!(
        stdout(&out).contains("cli: refused: 127.0.0.1 is a loopback address"),
        "{}",
        stdout(&out)
    );
    let allow = vec![("SAHIFA_FETCH_ALLOW", "127.0.0.1")];
    let out = run(allow.clone(), s(&["poll", "--once"]))
        .await
        .expect("join");
    assert!(
        stdout(&out).contains("cli: 200, imported 3"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // --once polls even what is not due; the server answers 304.
    let out = run(allow.clone(), s(&["poll", "--once"]))
        .await
        .expect("join");
    assert!(
        stdout(&out).contains("cli: 304, imported 0"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        server.seen("/rss/cli"),
        (2, 1),
        "the refused poll sent nothing"
    );
    let list = run(vec![], s(&["source", "list", "--json"]))
        .await
        .expect("join");
    let row: serde_json::Value = serde_json::from_str(stdout(&list).trim()).expect("json");
    assert_eq!(
        (row["articles"].as_i64(), row["last_status"].as_str()),
        (Some(3), Some("304"))
    );
    let out = run(vec![], s(&["source", "remove", "cli"]))
        .await
        .expect("join");
    assert_eq!(
        stdout(&out).trim(),
        "removed source cli, 3 articles removed",
        "{}",
        stderr(&out)
    );
    let out = run(vec![], s(&["search", "--json", "طرابلس"]))
        .await
        .expect("join");
    assert_eq!(stdout(&out).trim(), "", "removed articles leave search");
    let out = run(vec![], s(&["source", "remove", "cli"]))
        .await
        .expect("join");
    assert!(!out.status.success());
}

#[test]
fn windows_1256_and_iso_8859_6_feed_files_import_with_the_right_arabic() {
    for file in ["rss-windows-1256.xml", "rss-iso-8859-6.xml"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("d");
        let path = fixtures().join("feeds").join(file);
        let out = sahifa(
            &data,
            None,
            &["import", "--source", "f", path.to_str().expect("p")],
        );
        assert_eq!(
            stdout(&out).trim(),
            "imported 2, unchanged 0, rejected 0, warnings 0",
            "{file}: {}",
            stderr(&out)
        );
        let out = sahifa(&data, None, &["search", "--json", "حفتر"]);
        let hit: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("one hit");
        assert_eq!(hit["title"], "حفتر يلتقي وفداً روسياً في بنغازي", "{file}");
    }
}
