//! Follows, events and the feed through the JSON API (the PRODUCT.md contracts), and the
//! privacy of a member's reading: export, "clear my history", deletion. Both backends.

use serde_json::{Value, json};

use crate::foryou_support::{app_with_corpus, event, feed, follow, member, tag_slug};
use crate::helpers::databases;

#[tokio::test]
async fn follows_follow_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 4).await;
        let (token, _) = member(&app, "f@example.com").await;
        let name = db.name;
        let tunis = tag_slug(&app, "wire-a", "middleEast-0", "تونس").await;
        assert_eq!(
            follow(&app, &token, "section", "economy").await,
            201,
            "{name}"
        );
        assert_eq!(
            follow(&app, &token, "section", "economy").await,
            200,
            "{name}: again"
        );
        assert_eq!(follow(&app, &token, "tag", &tunis).await, 201, "{name}");
        assert_eq!(
            follow(&app, &token, "source", "wire-b").await,
            201,
            "{name}"
        );
        for (kind, value) in [
            ("section", "politics"),
            ("tag", "لا-يوجد"),
            ("source", "nowhere"),
        ] {
            assert_eq!(
                follow(&app, &token, kind, value).await,
                404,
                "{name}: {kind} {value}"
            );
        }
        assert_eq!(follow(&app, &token, "author", "x").await, 400, "{name}");
        let list: Value = app
            .client
            .get(format!("{}/api/v1/follows", app.addr))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        let follows = list["follows"].as_array().expect("follows");
        assert_eq!(follows.len(), 3, "{name}: {list}");
        assert!(
            follows.contains(&json!({"kind": "section", "value": "economy", "label": "اقتصاد"}))
        );
        assert!(follows.contains(&json!({"kind": "tag", "value": tunis, "label": "تونس"})));
        assert!(follows.contains(&json!({"kind": "source", "value": "wire-b", "label": "wire-b"})));
        let del = |path: String| {
            let app = &app;
            let token = token.clone();
            async move {
                app.client
                    .delete(format!("{}{path}", app.addr))
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("DELETE")
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(
            del("/api/v1/follows/section/economy".into()).await,
            204,
            "{name}"
        );
        assert_eq!(
            del("/api/v1/follows/section/economy".into()).await,
            204,
            "{name}: again"
        );
        assert_eq!(
            del("/api/v1/follows/section/politics".into()).await,
            404,
            "{name}"
        );
        let anonymous = app.get("/api/v1/follows").await;
        assert_eq!(anonymous.status(), 401, "{name}");
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn events_are_accepted_and_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 3).await;
        let (token, _) = member(&app, "e@example.com").await;
        let name = db.name;
        let a = json!({"source": "wire-c", "id": "economy-0"});
        for t in ["open", "read", "save", "more"] {
            let mut b = a.clone();
            b["type"] = json!(t);
            assert_eq!(event(&app, &token, b).await, 202, "{name}: {t}");
        }
        for axis in ["tag", "section", "source"] {
            let b = json!({"type": "less", "source": "wire-c", "id": "economy-0", "axis": axis});
            assert_eq!(event(&app, &token, b).await, 202, "{name}: less {axis}");
        }
        let b = json!({"type": "hide", "source": "wire-c", "id": "economy-0"});
        assert_eq!(event(&app, &token, b).await, 202, "{name}: hide");
        let b = json!({"type": "open", "source": "wire-c", "id": "nope"});
        assert_eq!(event(&app, &token, b).await, 404, "{name}: unknown article");
        let b = json!({"type": "like", "source": "wire-c", "id": "economy-0"});
        assert_eq!(event(&app, &token, b).await, 400, "{name}: unknown type");
        let b = json!({"type": "less", "source": "wire-c", "id": "economy-0", "axis": "mood"});
        assert_eq!(event(&app, &token, b).await, 400, "{name}: unknown axis");
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn the_feed_has_the_contract_shape_and_pages_by_cursor() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 8).await;
        let (token, _) = member(&app, "p@example.com").await;
        let name = db.name;
        let kinds = [
            "follow_section",
            "follow_tag",
            "follow_source",
            "profile",
            "popular",
            "fresh",
            "pinned",
        ];
        let first = feed(&app, &token, 10, None).await;
        let items = first["items"].as_array().expect("items");
        assert_eq!(items.len(), 10, "{name}: {first}");
        for i in items {
            for field in [
                "id",
                "source",
                "title",
                "section",
                "tags",
                "published",
                "url",
                "score",
            ] {
                assert!(!i[field].is_null(), "{name}: {field} missing in {i}");
            }
            assert!(i.get("subtitle").is_some(), "{name}: subtitle key");
            assert!(
                !i["reason"].as_str().unwrap_or("").is_empty(),
                "{name}: {i}"
            );
            assert!(
                kinds.contains(&i["reason_kind"].as_str().unwrap_or("")),
                "{name}: {i}"
            );
            let page = app.get(i["url"].as_str().unwrap_or("/")).await;
            assert_eq!(page.status(), 200, "{name}: {}", i["url"]);
        }
        let next = first["next"].as_str().expect("next cursor").to_string();
        let second = feed(&app, &token, 10, Some(&next)).await;
        let a = crate::foryou_support::keys(&first);
        let b = crate::foryou_support::keys(&second);
        assert_eq!(b.len(), 10, "{name}");
        assert!(a.iter().all(|k| !b.contains(k)), "{name}: pages overlap");
        let bad = app
            .client
            .get(format!("{}/api/v1/feed?cursor=garbage", app.addr))
            .bearer_auth(&token)
            .send()
            .await
            .expect("GET");
        assert_eq!(bad.status(), 400, "{name}");
        assert_eq!(app.get("/api/v1/feed").await.status(), 401, "{name}");
        let doc: Value = app
            .get("/api/v1/openapi.json")
            .await
            .json()
            .await
            .expect("json");
        for path in [
            "/api/v1/follows",
            "/api/v1/follows/{kind}/{value}",
            "/api/v1/events",
            "/api/v1/feed",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{name}: {path} not described"
            );
        }
        db.drop_schema().await;
    }
}

#[tokio::test]
async fn reading_is_exported_cleared_and_deleted_with_the_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 3).await;
        let (token, pk) = member(&app, "x@example.com").await;
        let name = db.name;
        assert_eq!(follow(&app, &token, "section", "sport").await, 201);
        let b = json!({"type": "read", "source": "wire-d", "id": "sport-0"});
        assert_eq!(event(&app, &token, b).await, 202);
        let user = app
            .state
            .accounts
            .user_by_email("x@example.com")
            .await
            .expect("read")
            .expect("user");
        let export = app.state.accounts.export(&user).await.expect("export");
        assert_eq!(export["follows"][0]["value"], "sport", "{name}: {export}");
        assert_eq!(export["signals"][0]["type"], "read", "{name}: {export}");
        assert_eq!(export["signals"][0]["id"], "sport-0", "{name}");
        assert_eq!(
            app.state.reader.clear_history(pk).await.expect("clear"),
            1,
            "{name}"
        );
        let store = &app.state.store;
        assert!(
            store.signals_of(pk, 10).await.expect("signals").is_empty(),
            "{name}"
        );
        assert_eq!(
            store.follows_of(pk).await.expect("follows").len(),
            1,
            "{name}: follows stay"
        );
        let b = json!({"type": "open", "source": "wire-d", "id": "sport-0"});
        assert_eq!(event(&app, &token, b).await, 202);
        app.state
            .accounts
            .delete_account(&user, "a long enough password")
            .await
            .expect("delete");
        assert!(
            store.signals_of(pk, 10).await.expect("signals").is_empty(),
            "{name}"
        );
        assert!(
            store.follows_of(pk).await.expect("follows").is_empty(),
            "{name}"
        );
        db.drop_schema().await;
    }
}
