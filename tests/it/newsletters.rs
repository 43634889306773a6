//! Newsletters end to end on SQLite and PostgreSQL with a real SMTP server: an edition
//! reaches every subscriber once with one-click unsubscribe headers; the one-click POST ends
//! only that newsletter, its GET changes nothing, a tampered token is refused; schedules
//! follow each member's time zone; visitors opt in twice; the CLI contract.

use chrono::{DateTime, Utc};
use sahifa::newsletter::Newsletters;

use crate::accounts_support::{SmtpSink, client, spawn_with};
use crate::helpers::{databases, sahifa, stderr, stdout};
use crate::newsletters_support::{articles, header, import_subscribers, settled};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("time")
        .with_timezone(&Utc)
}

/// Messages to `to` so far, after a moment for mail in flight (send jobs may stay queued
/// for a follow-up, so the queue never looks idle).
async fn count_now(sink: &SmtpSink, to: &str) -> usize {
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    sink.messages()
        .iter()
        .filter(|m| m.to.iter().any(|t| t == to))
        .count()
}

async fn active(nl: &Newsletters, slug: &str) -> i64 {
    nl.listed()
        .await
        .expect("list")
        .into_iter()
        .find(|l| l.slug == slug)
        .map_or(-1, |l| l.subscribers)
}

#[tokio::test]
async fn one_edition_one_copy_each_and_one_click_ends_only_that_newsletter() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_with(&db.url, &sink.url(), |_| {}).await;
        // No schedules here (the in-process tick would send a daily edition first).
        app.ingest(articles(10, &[])).await;
        let nl = &app.state.newsletters;
        nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
            .await
            .expect("add");
        nl.add(
            "eco",
            "اقتصاد",
            "section",
            Some("economy"),
            Some(""),
            "",
            None,
        )
        .await
        .expect("add");
        let emails: Vec<String> = (0..3).map(|i| format!("user{i}@example.com")).collect();
        import_subscribers(&app, "brief", &emails, "").await;
        import_subscribers(&app, "eco", &emails, "").await;

        let brief = nl.by_slug("brief").await.expect("q").expect("brief");
        let (edition, n) = nl.send_now(&brief).await.expect("send");
        assert_eq!(n, 3, "{}", db.name);
        let c = settled(&app, edition.pk).await;
        assert_eq!(
            (c.recipients, c.sent, c.failed, c.uncertain),
            (3, 3, 0, 0),
            "{}",
            db.name
        );
        let got = sink.wait_for("user0@example.com", 1).await;
        assert_eq!(got.len(), 1, "{}: one copy", db.name);
        let m = &got[0];
        let unsub = header(m, "List-Unsubscribe").expect("List-Unsubscribe");
        assert_eq!(
            header(m, "List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
        let id = header(m, "Message-ID").expect("Message-ID");
        assert!(id.starts_with(&format!("<nl-{}-", edition.pk)), "{id}");
        let html = m.html.as_deref().expect("html part");
        assert!(html.contains(r#"lang="ar""#) && html.contains(r#"dir="rtl""#));
        assert!(m.text().contains("خبر رقم 9"), "{}", m.text());
        let url = unsub.trim_matches(|c| c == '<' || c == '>').to_string();
        assert!(
            url.starts_with(&format!("{}/unsubscribe/", app.addr)),
            "{url}"
        );

        // GET (a link scanner) shows a button and changes nothing.
        let bare = client();
        let page = bare.get(&url).send().await.expect("GET");
        assert_eq!(page.status(), 200);
        assert!(
            page.text()
                .await
                .expect("body")
                .contains("<form method=\"post\"")
        );
        assert_eq!(
            active(nl, "brief").await,
            3,
            "{}: GET must not unsubscribe",
            db.name
        );

        // A tampered token is refused.
        let mut bad = url.clone();
        let last = bad.pop().expect("char");
        bad.push(if last == 'A' { 'B' } else { 'A' });
        let r = bare
            .post(&bad)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 400);
        assert_eq!(active(nl, "brief").await, 3);

        // RFC 8058 one-click POST with no cookie: that newsletter only.
        let r = bare
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .expect("POST");
        assert_eq!(r.status(), 200, "{}", db.name);
        assert_eq!(active(nl, "brief").await, 2, "{}", db.name);
        assert_eq!(
            active(nl, "eco").await,
            3,
            "{}: other newsletters stay",
            db.name
        );
        let eco = nl.by_slug("eco").await.expect("q").expect("eco");
        let (e2, n2) = nl.send_now(&eco).await.expect("send eco");
        assert_eq!(n2, 3);
        settled(&app, e2.pk).await;
        let got = sink.wait_for("user0@example.com", 2).await;
        assert!(got[1].subject.contains("اقتصاد"), "{}", got[1].subject);

        // What was sent is not sent again: two stories left, fewer than the minimum.
        let err = nl.send_now(&brief).await.expect_err("too thin");
        assert!(format!("{err:#}").contains("too thin"), "{err:#}");
        // The archive shows the edition as a page.
        let (s, body) = crate::accounts_support::get(&bare, &app, "/newsletters/brief").await;
        assert_eq!(s, 200);
        assert!(body.contains(&format!("/newsletters/brief/{}", edition.pk)));
        let (s, body) = crate::accounts_support::get(
            &bare,
            &app,
            &format!("/newsletters/brief/{}", edition.pk),
        )
        .await;
        assert_eq!(s, 200);
        assert!(body.contains("خبر رقم 9"));
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn a_daily_seven_oclock_edition_follows_each_members_time_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_with(&db.url, &sink.url(), |_| {}).await;
        app.ingest(articles(6, &[])).await;
        let nl = &app.state.newsletters;
        nl.add(
            "brief",
            "الموجز",
            "brief",
            None,
            Some("daily 07:00"),
            "",
            None,
        )
        .await
        .expect("add");
        let acc = &app.state.accounts;
        let reader = sahifa::accounts::Role::Reader;
        let cairo = acc
            .add_user("cairo@example.com", "password-123", reader, true)
            .await
            .expect("user");
        let riyadh = acc
            .add_user("riyadh@example.com", "password-123", reader, true)
            .await
            .expect("user");
        // The member sets their zone through the API; an unknown zone is refused.
        let c = client();
        let token: serde_json::Value = c
            .post(format!("{}/api/v1/tokens", app.addr))
            .json(&serde_json::json!({"email": "cairo@example.com", "password": "password-123", "name": "t"}))
            .send().await.expect("token").json().await.expect("json");
        let bearer = format!("Bearer {}", token["token"].as_str().expect("token"));
        let put = |tz: &str| {
            c.put(format!("{}/api/v1/me", app.addr))
                .header("authorization", &bearer)
                .json(&serde_json::json!({"time_zone": tz}))
                .send()
        };
        assert_eq!(put("Mars/Olympus").await.expect("PUT").status(), 400);
        assert_eq!(put("Africa/Cairo").await.expect("PUT").status(), 200);
        app.state
            .store
            .set_user_time_zone(riyadh.pk, Some("Asia/Riyadh"))
            .await
            .expect("tz");
        nl.member_subscribe(&cairo, "brief").await.expect("sub");
        nl.member_subscribe(&riyadh, "brief").await.expect("sub");

        let tick = |t: &str| {
            let t = at(t);
            nl.with_clock(std::sync::Arc::new(move || t))
        };
        assert!(
            tick("2026-11-27T03:59:00Z")
                .tick()
                .await
                .expect("tick")
                .queued
                .is_empty()
        );
        let r = tick("2026-11-27T04:00:00Z").tick().await.expect("tick");
        assert_eq!(r.queued.len(), 1, "{}: Riyadh at 04:00 UTC: {r:?}", db.name);
        let edition = r.queued[0].0;
        sink.wait_for("riyadh@example.com", 1).await;
        assert_eq!(
            count_now(&sink, "cairo@example.com").await,
            0,
            "{}: Cairo waits",
            db.name
        );
        assert!(
            tick("2026-11-27T04:59:00Z")
                .tick()
                .await
                .expect("tick")
                .queued
                .is_empty()
        );
        let r = tick("2026-11-27T05:00:00Z").tick().await.expect("tick");
        assert_eq!(
            r.queued,
            vec![(edition, 1)],
            "{}: Cairo at 05:00 UTC, same edition",
            db.name
        );
        sink.wait_for("cairo@example.com", 1).await;
        let again = tick("2026-11-27T06:00:00Z").tick().await.expect("tick");
        assert!(again.queued.is_empty(), "{again:?}");
        assert_eq!(count_now(&sink, "riyadh@example.com").await, 1);
        assert_eq!(settled(&app, edition).await.sent, 2);
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn visitors_opt_in_twice_and_every_address_gets_the_same_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_with(&db.url, &sink.url(), |_| {}).await;
        let nl = &app.state.newsletters;
        nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
            .await
            .expect("add");
        let c = client();
        let signup = |email: &str| {
            c.post(format!("{}/api/v1/newsletters/brief/signups", app.addr))
                .json(&serde_json::json!({ "email": email }))
                .send()
        };
        assert_eq!(signup("new@example.com").await.expect("POST").status(), 202);
        let mail = sink.wait_for("new@example.com", 1).await.remove(0);
        let link = mail.link("/newsletters/confirm/").expect("confirm link");
        let (s, body) = crate::accounts_support::get(&client(), &app, &link).await;
        assert_eq!(s, 200);
        assert!(body.contains("<form method=\"post\""));
        assert_eq!(
            active(nl, "brief").await,
            0,
            "{}: GET must not confirm",
            db.name
        );
        let r = client().post(&link).send().await.expect("POST");
        assert_eq!(r.status(), 200);
        assert_eq!(active(nl, "brief").await, 1, "{}", db.name);
        // Subscribed already, or never seen: the same 202, and no second mail.
        assert_eq!(signup("new@example.com").await.expect("POST").status(), 202);
        assert_eq!(
            signup("other@example.com").await.expect("POST").status(),
            202
        );
        sink.wait_for("other@example.com", 1).await;
        assert_eq!(count_now(&sink, "new@example.com").await, 1);
        let bad = c
            .post(format!("{}/api/v1/newsletters/brief/signups", app.addr))
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .expect("POST");
        assert_eq!(bad.status(), 400);
        // No enumeration: an unknown newsletter or a malformed address gets the same 202,
        // and no mail.
        let unknown = c
            .post(format!(
                "{}/api/v1/newsletters/no-such-list/signups",
                app.addr
            ))
            .json(&serde_json::json!({ "email": "third@example.com" }))
            .send()
            .await
            .expect("POST");
        assert_eq!(unknown.status(), 202, "{}: unknown slug", db.name);
        assert_eq!(signup("not an address").await.expect("POST").status(), 202);
        assert_eq!(count_now(&sink, "third@example.com").await, 0);
        // Every opt-in mail was a job row before it was sent.
        let mut jobs = Vec::new();
        for _ in 0..100 {
            jobs = app
                .state
                .store
                .jobs_of_kind("newsletter_optin", 10)
                .await
                .expect("jobs");
            if jobs.iter().all(|j| j.state == "done") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(jobs.len(), 2, "{}: {jobs:?}", db.name);
        assert!(
            jobs.iter().all(|j| j.state == "done"),
            "{}: {jobs:?}",
            db.name
        );
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn cli_adds_imports_sends_and_reports_figures_that_add_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = dir.path().join(format!("data-{}", db.name));
        let run = |args: &[&str]| sahifa(&data, Some(&db.url), args);
        let o = run(&[
            "newsletter",
            "add",
            "--slug",
            "brief",
            "--name",
            "الموجز",
            "--kind",
            "brief",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = run(&[
            "newsletter",
            "add",
            "--slug",
            "x",
            "--name",
            "x",
            "--kind",
            "weekly",
        ]);
        assert!(
            !o.status.success() && stderr(&o).contains("--kind"),
            "{}",
            stderr(&o)
        );
        let csv = dir.path().join(format!("list-{}.csv", db.name));
        std::fs::write(
            &csv,
            "email,name,time_zone\na@example.com,أحمد,Africa/Cairo\nnot-an-address,x,\nb@example.com,,Mars/Base\n",
        )
        .expect("csv");
        let path = csv.to_str().expect("path");
        let o = run(&["subscribers", "import", "brief", path]);
        assert_eq!(
            stdout(&o).trim(),
            "imported 2, unchanged 0, rejected 1, warnings 1"
        );
        assert!(
            stderr(&o).contains(&format!("{path}:3: email")),
            "{}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(&format!("{path}:4: time_zone")),
            "{}",
            stderr(&o)
        );
        assert!(!o.status.success());
        let o = run(&["subscribers", "import", "brief", path]);
        assert_eq!(
            stdout(&o).trim(),
            "imported 0, unchanged 2, rejected 1, warnings 1"
        );
        let o = run(&["newsletter", "list", "--json"]);
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
        assert_eq!(v["slug"], "brief");
        assert_eq!(v["schedule"], "daily 07:00");
        assert_eq!(v["subscribers"], 2);
        let jsonl = dir.path().join(format!("a-{}.jsonl", db.name));
        let lines: Vec<String> = (0..4)
            .map(|i| serde_json::json!({"id": format!("a{i}"), "title": format!("عنوان {i}"), "body": "نص الخبر هنا بما يكفي"}).to_string())
            .collect();
        std::fs::write(&jsonl, lines.join("\n")).expect("jsonl");
        assert!(
            run(&["import", jsonl.to_str().expect("p")])
                .status
                .success()
        );
        let o = run(&["newsletter", "send", "brief"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        let id = out
            .trim()
            .strip_prefix("edition ")
            .and_then(|r| r.strip_suffix(": 2 recipients"))
            .unwrap_or_else(|| panic!("{out}"));
        let o = run(&["edition", "status", id, "--json"]);
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("json");
        let sum = ["queued", "sent", "failed", "uncertain"]
            .iter()
            .map(|k| v[k].as_i64().expect("number"))
            .sum::<i64>();
        assert_eq!(v["recipients"], 2);
        assert_eq!(sum, 2, "{v}");
        db.drop_schema().await;
    }
}
