//! Every process that serves search follows the article change log: real `sahifa serve`
//! processes, and writes from a CLI `import` or another node's desk, on SQLite and on
//! PostgreSQL. Each wait polls up to a deadline of 5 s (the product's promise).

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::accounts_support::{client, csrf_of, free_port};
use crate::helpers::{databases, fixtures, sahifa, stderr, stdout};

/// How long a write may take to show on every node.
const PROMISE: Duration = Duration::from_secs(5);

/// A `sahifa serve` child process; killed when dropped.
struct Node {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    async fn start(data: &Path, db: &str) -> Node {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_sahifa"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("SAHIFA_DATABASE_URL", db)
            .env("SAHIFA_SECURE_COOKIES", "false")
            .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sahifa serve");
        let node = Node {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: client(),
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(r) = node.http.get(format!("{}/healthz", node.base)).send().await
                && r.status().is_success()
            {
                return node;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("sahifa serve on {data:?} did not come up");
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        (r.status().as_u16(), r.text().await.expect("body"))
    }

    /// `/api/v1/search` (sorted by date: the total is then exact at any size).
    async fn search(&self, q: &str) -> Value {
        let (status, body) = self
            .get(&format!(
                "/api/v1/search?sort=date&limit=5&q={}",
                urlencode(q)
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).expect("search JSON")
    }

    /// Polls until `done` holds for this node's search for `q`, at most [`PROMISE`] after
    /// `since`; returns the last answer and whether it held.
    async fn until(&self, q: &str, since: Instant, done: impl Fn(&Value) -> bool) -> (Value, bool) {
        loop {
            let v = self.search(q).await;
            if done(&v) {
                return (v, true);
            }
            if since.elapsed() > PROMISE {
                return (v, false);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> u16 {
        self.http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("POST")
            .status()
            .as_u16()
    }

    /// Signs in through the form (an editor added with `sahifa user add`).
    async fn sign_in(&self, email: &str, password: &str) {
        let (_, page) = self.get("/signin").await;
        let csrf = csrf_of(&page);
        let status = self
            .post(
                "/signin",
                &[("email", email), ("password", password), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(status, 303, "sign-in failed");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn total(v: &Value) -> u64 {
    v["total"].as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cli_import_beside_a_running_server_is_searchable_there_within_five_seconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = tempfile::tempdir().expect("tempdir");
        let node = Node::start(data.path(), &db.url).await;
        assert_eq!(total(&node.search("حفتر").await), 0, "{}", db.name);
        // The front page and the article list, served (and kept) before the import.
        let (_, home) = node.get("/").await;
        assert!(!home.contains("/articles/asharq/"), "{}", db.name);
        assert_eq!(
            node.get("/api/v1/articles?limit=20").await.1,
            "[]",
            "{}",
            db.name
        );

        let fixture = fixtures().join("asharq-libya-article.txt");
        let (folder, url) = (data.path().to_path_buf(), db.url.clone());
        let out = tokio::task::spawn_blocking(move || {
            sahifa(
                &folder,
                Some(&url),
                &[
                    "import",
                    "--source",
                    "asharq",
                    fixture.to_str().expect("path"),
                ],
            )
        })
        .await
        .expect("join");
        let imported = Instant::now();
        assert!(out.status.success(), "{}: {}", db.name, stderr(&out));
        assert!(
            stdout(&out).starts_with("imported 1, unchanged 0, rejected 0"),
            "{}: {}",
            db.name,
            stdout(&out)
        );

        let (v, found) = node.until("حفتر", imported, |v| total(v) == 1).await;
        assert!(found, "{}: not searchable within 5 s: {v}", db.name);
        assert_eq!(v["hits"][0]["source"], "asharq", "{}", db.name);
        // The front page shows it too.
        let (_, home) = node.get("/").await;
        assert!(
            home.contains("/articles/asharq/"),
            "{}: not on the home page",
            db.name
        );
        drop(node);
        db.drop_schema().await;
    }
}

/// A word of its own for article `i` (its digits spelled in letters).
fn code(i: usize) -> String {
    let letters = ['ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز'];
    let digits: String = i
        .to_string()
        .bytes()
        .map(|d| letters[usize::from(d - b'0')])
        .collect();
    format!("رمز{digits}")
}

/// `n` short articles that all hold the word «قمة» (and nothing else does), each with a
/// word of its own ([`code`]).
fn wire_file(dir: &Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("wire.jsonl");
    let mut f = std::fs::File::create(&path).expect("create");
    for i in 0..n {
        let line = serde_json::json!({
            "id": format!("w{i}"),
            "title": format!("قمة إقليمية رقم {i}"),
            "body": format!("انعقدت القمة في العاصمة وناقش المشاركون الملف {}.", code(i)),
            "source": "wire",
            "category": "middleEast",
        });
        writeln!(f, "{line}").expect("write");
    }
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_on_one_postgres_follow_imports_and_each_others_desk_within_five_seconds() {
    let Some(base) = crate::helpers::postgres_url() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = databases(dir.path())
        .await
        .into_iter()
        .find(|d| d.name == "postgres")
        .unwrap_or_else(|| panic!("PostgreSQL at {base}"));
    let (a_dir, b_dir, cli_dir) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
        tempfile::tempdir().expect("cli"),
    );
    let a = Node::start(a_dir.path(), &db.url).await;
    let b = Node::start(b_dir.path(), &db.url).await;

    // 1,000 articles through a third data folder while both nodes serve searches.
    let file = wire_file(cli_dir.path(), 1000);
    let (folder, url) = (cli_dir.path().to_path_buf(), db.url.clone());
    let import = tokio::task::spawn_blocking(move || {
        sahifa(
            &folder,
            Some(&url),
            &["import", file.to_str().expect("path")],
        )
    });
    let mut searched = 0;
    while !import.is_finished() {
        a.search("قمة").await;
        b.search("قمة").await;
        searched += 1;
    }
    let out = import.await.expect("join");
    let imported = Instant::now();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("imported 1000,"),
        "{}",
        stdout(&out)
    );
    assert!(searched > 0);
    let store = sahifa::store::Store::connect(&db.url).await.expect("store");
    let stored = store.count_articles().await.expect("count") as u64;
    assert_eq!(stored, 1000);
    for (name, node) in [("a", &a), ("b", &b)] {
        let (v, ok) = node.until("قمة", imported, |v| total(v) == stored).await;
        assert!(ok, "node {name}: total {} of {stored} after 5 s", total(&v));
    }

    // An editor unpublishes one article at node a's desk; node b's search drops it.
    let add = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .arg("--data")
        .arg(a_dir.path())
        .args([
            "user",
            "add",
            "--email",
            "ed@example.com",
            "--role",
            "editor",
            "--verified",
        ])
        .env("SAHIFA_DATABASE_URL", &db.url)
        .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            if let Some(mut stdin) = c.stdin.take() {
                stdin.write_all(b"an editor's password\n")?;
            }
            c.wait_with_output()
        })
        .expect("user add");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    a.sign_in("ed@example.com", "an editor's password").await;
    let (_, desk) = a.get("/desk/new").await;
    let csrf = csrf_of(&desk);
    let q = &code(417);
    assert_eq!(
        total(&b.search(q).await),
        1,
        "w417 is searchable on b first"
    );
    // A visitor's page of it on node b, kept in b's page cache.
    assert_eq!(b.get("/articles/wire/w417").await.0, 200);
    assert_eq!(b.get("/articles/wire/w417").await.0, 200);
    let status = a
        .post(
            "/desk/status/wire/w417",
            &[("action", "unpublish"), ("csrf", &csrf)],
        )
        .await;
    let unpublished = Instant::now();
    assert_eq!(status, 303);
    assert_eq!(
        a.get("/articles/wire/w417").await.0,
        200,
        "an editor's preview"
    );
    loop {
        let (status, _) = b.get("/articles/wire/w417").await;
        if status == 404 {
            break;
        }
        assert!(
            unpublished.elapsed() < PROMISE,
            "node b still serves the withdrawn article's page after 5 s ({status})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (v, gone) = b.until(q, unpublished, |v| total(v) == 0).await;
    assert!(
        gone,
        "the withdrawn article is still found on node b after 5 s: {v}"
    );
    let (v, _) = b
        .until("قمة", unpublished, |v| total(v) == stored - 1)
        .await;
    assert_eq!(total(&v), stored - 1);
    store.close().await;
    drop((a, b));
    db.drop_schema().await;
}
