//! Saved articles (issue 13) on SQLite and PostgreSQL: copies outlive removal, changes of
//! the live article show, spelling variants find a copy, members never see each other's.

use serde_json::Value;

use crate::accounts_support::{csrf_of, post_form, spawn_app};
use crate::helpers::{databases, sahifa, stderr, stdout};
use crate::saved_support::{Member, article, keys};

const HOSPITAL: &str =
    "نقل الجرحى إلى مستشفى الجلاء في بنغازي بعد الاشتباكات.\nوقال أحمد المسماري إن الجيش يتقدم.";

#[tokio::test]
async fn saved_copies_outlive_the_removal_of_their_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![
            article("wire", "w1", "اشتباكات في بنغازي", HOSPITAL),
            article(
                "wire",
                "w2",
                "سوق النفط الليبي",
                "ارتفعت صادرات النفط من ميناء السدرة.",
            ),
            article(
                "wire",
                "w3",
                "منتخب ليبيا",
                "فاز منتخب ليبيا على تونس في طرابلس.",
            ),
            article(
                "other",
                "o1",
                "خبر آخر عن السدرة",
                "ميناء السدرة يستأنف التصدير.",
            ),
        ])
        .await;
        let me = Member::new(&app, &format!("saver-{}@example.com", db.name)).await;
        for id in ["w1", "w2", "w3"] {
            let (status, v) = me.save(&app, "wire", id, None).await;
            assert_eq!(status, 201, "{}: {v}", db.name);
            assert_eq!(v["removed"], false);
        }
        let (again, _) = me.save(&app, "wire", "w1", Some("للمراجعة")).await;
        assert_eq!(again, 200, "saving twice answers 200");

        let report = sahifa::reader::remove::remove(&app.state.newsroom, "wire", &[])
            .await
            .expect("remove");
        assert_eq!(report.to_string(), "removed 3");
        assert_eq!(report.kept_copies, 3, "the three saved copies stay");

        for id in ["w1", "w2", "w3"] {
            let r = app.get(&format!("/api/v1/articles/wire/{id}")).await;
            assert_eq!(r.status(), 410, "{}: API of a removed article", db.name);
            let r = app.get(&format!("/articles/wire/{id}")).await;
            assert_eq!(r.status(), 410, "{}: page of a removed article", db.name);
        }
        let (_, gone) = me.page(&app, "/articles/wire/w2").await;
        assert!(
            gone.contains("/saved/wire/w2"),
            "the 410 page links my copy"
        );
        let hits: Value = app
            .get("/api/v1/search?q=السدرة")
            .await
            .json()
            .await
            .expect("search json");
        let sources: Vec<&str> = hits["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["source"].as_str())
            .collect();
        assert_eq!(
            sources,
            ["other"],
            "{}: search no longer finds wire",
            db.name
        );
        let home = app.get("/").await.text().await.expect("home");
        assert!(!home.contains("منتخب ليبيا"), "gone from the lists");

        let list = me.list(&app, "").await;
        assert_eq!(list["total"], 3, "{}: {list}", db.name);
        for item in list["items"].as_array().expect("items") {
            assert_eq!(item["removed"], true, "{item}");
            assert_eq!(item["updated_since_saved"], false);
        }
        let (status, copy) = me.api(&app, "/api/v1/saved/wire/w1").await;
        assert_eq!(status, 200);
        assert_eq!(copy["body"][0], HOSPITAL.split('\n').next().unwrap_or(""));
        assert_eq!(copy["note"], "للمراجعة");
        assert!(copy["saved_at"].as_str().is_some_and(|s| s.ends_with('Z')));
        let (status, page) = me.page(&app, "/saved/wire/w3").await;
        assert_eq!(status, 200);
        assert!(page.contains("فاز منتخب ليبيا على تونس في طرابلس."));
        assert!(page.contains("حُذف المقال من مصدره"));

        let found = me.list(&app, "q=صادرات النفط").await;
        assert_eq!(keys(&found), [("wire".into(), "w2".into())], "{found}");
        assert!(
            found["items"][0]["snippet"]
                .as_str()
                .is_some_and(|s| s.contains("السدرة"))
        );
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn a_changed_article_is_flagged_and_the_copy_can_be_refreshed() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![article("wire", "c1", "خبر يتغير", "النص الأول للخبر.")])
            .await;
        let me = Member::new(&app, &format!("changes-{}@example.com", db.name)).await;
        assert_eq!(me.save(&app, "wire", "c1", None).await.0, 201);
        assert_eq!(
            me.list(&app, "").await["items"][0]["updated_since_saved"],
            false
        );

        app.ingest(vec![article(
            "wire",
            "c1",
            "خبر يتغير",
            "النص الثاني المعدل للخبر.",
        )])
        .await;
        let list = me.list(&app, "").await;
        assert_eq!(
            list["items"][0]["updated_since_saved"], true,
            "{}: {list}",
            db.name
        );
        assert_eq!(list["items"][0]["removed"], false);
        let (_, page) = me.page(&app, "/saved/wire/c1").await;
        assert!(page.contains("تم تحديث المقال منذ حفظه"));
        assert!(
            page.contains("النص الأول للخبر."),
            "the copy is still the one saved"
        );

        // The refresh button of the page (a form with CSRF).
        let form = [("action", "refresh"), ("csrf", &csrf_of(&page) as &str)];
        let (status, to, _) = post_form(&me.web, &app, "/saved/wire/c1", &form).await;
        assert_eq!((status, to.as_deref()), (303, Some("/saved/wire/c1")));
        let (_, copy) = me.api(&app, "/api/v1/saved/wire/c1").await;
        assert_eq!(copy["body"][0], "النص الثاني المعدل للخبر.");
        assert_eq!(copy["updated_since_saved"], false);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn saved_search_finds_spelling_variants_and_highlights_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![
            article("wire", "h1", "الجرحى في بنغازي", HOSPITAL),
            article("wire", "h2", "أسعار النفط", "تراجعت أسعار النفط في الأسواق."),
        ])
        .await;
        let me = Member::new(&app, &format!("variants-{}@example.com", db.name)).await;
        for id in ["h1", "h2"] {
            assert_eq!(me.save(&app, "wire", id, None).await.0, 201);
        }
        for q in [
            "مستشفي",
            "مستشفى",
            "احمد",
            "المستشفي الجلاء",
            "\"مستشفى الجلاء\"",
        ] {
            let found = me.list(&app, &format!("q={q}")).await;
            assert_eq!(
                keys(&found),
                [("wire".into(), "h1".into())],
                "{}: {q}: {found}",
                db.name
            );
        }
        let none = me.list(&app, "q=\"الجلاء مستشفى\"").await;
        assert_eq!(none["total"], 0, "a phrase matches in order only");
        let none = me.list(&app, "q=مستشفى -بنغازي").await;
        assert_eq!(none["total"], 0, "an excluded word excludes");
        let (_, page) = me.page(&app, "/saved?q=مستشفي").await;
        assert!(
            page.contains("<mark>مستشفى</mark>"),
            "highlighted as written"
        );
        let sections = me.list(&app, "section=economy").await;
        assert_eq!(sections["total"], 0);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn another_member_never_sees_or_finds_my_saved_items() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = spawn_app(&db.url, "").await;
        app.ingest(vec![article("wire", "p1", "خبر خاص", HOSPITAL)])
            .await;
        let me = Member::new(&app, &format!("mine-{}@example.com", db.name)).await;
        let other = Member::new(&app, &format!("other-{}@example.com", db.name)).await;
        let note = "ملاحظتي السرية جدا";
        assert_eq!(me.save(&app, "wire", "p1", Some(note)).await.0, 201);

        assert_eq!(other.list(&app, "").await["total"], 0);
        assert_eq!(other.list(&app, "q=مستشفى").await["total"], 0);
        assert_eq!(other.api(&app, "/api/v1/saved/wire/p1").await.0, 404);
        let (_, _, export) = other.raw(&app, "/api/v1/saved/export?format=jsonl").await;
        assert!(export.is_empty(), "{}: {export}", db.name);
        let (status, page) = other.page(&app, "/saved/wire/p1").await;
        assert_eq!(status, 404);
        assert!(!page.contains(note));
        for path in ["/saved", "/saved?q=سرية", "/articles/wire/p1", "/"] {
            let (_, page) = other.page(&app, path).await;
            assert!(!page.contains(note), "{path}");
        }
        // Deleting mine is mine alone: the other's DELETE leaves my copy.
        let r = crate::accounts_support::client()
            .delete(format!("{}/api/v1/saved/wire/p1", app.addr))
            .header("authorization", format!("Bearer {}", other.token))
            .send()
            .await
            .expect("DELETE");
        assert_eq!(r.status(), 204);
        assert_eq!(me.list(&app, "").await["total"], 1);
        let (_, mine) = me.page(&app, "/saved").await;
        assert!(mine.contains(note));
        assert_eq!(me.api(&app, "/api/v1/saved").await.0, 200);
        let anonymous = app.get("/api/v1/saved").await;
        assert_eq!(anonymous.status(), 401);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn sahifa_remove_prints_what_it_removed_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let data = dir.path().join(format!("data-{}", db.name));
        let file = dir.path().join("wire.jsonl");
        std::fs::write(
            &file,
            // With a category each: records with and without one in a batch trip a PostgreSQL
            // bind-type bug of the article upsert (reported, not ours to change here).
            "{\"id\":\"r1\",\"title\":\"خبر أول\",\"body\":\"ميناء السدرة يستأنف التصدير.\",\"category\":\"economy\"}\n\
             {\"id\":\"r2\",\"title\":\"خبر ثان\",\"body\":\"منتخب ليبيا يفوز في طرابلس.\",\"category\":\"sport\"}\n",
        )
        .expect("write");
        let path = file.to_string_lossy().to_string();
        let out = sahifa(&data, Some(&db.url), &["import", "--source", "wire", &path]);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = sahifa(
            &data,
            Some(&db.url),
            &["remove", "--source", "wire", "r1", "nope"],
        );
        assert_eq!(stdout(&out).trim(), "removed 1", "{}", db.name);
        assert!(stderr(&out).contains("wire/nope: no such article"));
        assert!(!out.status.success(), "an unknown id fails the command");
        let out = sahifa(&data, Some(&db.url), &["search", "--json", "السدرة"]);
        assert_eq!(stdout(&out).trim(), "", "{}: removed from search", db.name);
        let out = sahifa(&data, Some(&db.url), &["remove", "--source", "wire"]);
        assert!(out.status.success());
        assert_eq!(stdout(&out).trim(), "removed 1");
        let out = sahifa(&data, Some(&db.url), &["search", "--json", "طرابلس"]);
        assert_eq!(stdout(&out).trim(), "");
        db.drop_schema().await;
    }
}
