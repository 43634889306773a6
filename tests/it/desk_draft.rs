//! A draft saved at the desk is written once, as a draft: no row of `articles` ever holds
//! it as published, not even inside the saving transaction (which a trigger, a replica or
//! any change-data capture would see). A database trigger records every status the row is
//! written with, on SQLite and PostgreSQL.

use crate::accounts_support::{client, get, sign_in, spawn_app, submit};
use crate::helpers::{TestApp, databases};

/// Installs triggers that append every status written to `articles` to `status_audit`.
async fn audit(app: &TestApp, postgres: bool) {
    let pool = app.state.store.pool();
    let statements: &[&str] = if postgres {
        &[
            "CREATE TABLE status_audit (n SERIAL PRIMARY KEY, status TEXT NOT NULL)",
            "CREATE FUNCTION audit_status() RETURNS trigger AS $$ BEGIN \
             INSERT INTO status_audit (status) VALUES (NEW.status); RETURN NEW; END $$ \
             LANGUAGE plpgsql",
            "CREATE TRIGGER audit_status AFTER INSERT OR UPDATE ON articles \
             FOR EACH ROW EXECUTE FUNCTION audit_status()",
        ]
    } else {
        &[
            "CREATE TABLE status_audit (n INTEGER PRIMARY KEY, status TEXT NOT NULL)",
            "CREATE TRIGGER audit_insert AFTER INSERT ON articles BEGIN \
             INSERT INTO status_audit (status) VALUES (NEW.status); END",
            "CREATE TRIGGER audit_update AFTER UPDATE ON articles BEGIN \
             INSERT INTO status_audit (status) VALUES (NEW.status); END",
        ]
    };
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn statuses(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT status FROM status_audit ORDER BY n")
        .fetch_all(app.state.store.pool())
        .await
        .expect("audit");
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn a_desk_draft_is_never_written_as_published() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for db in databases(tmp.path()).await {
        let app = spawn_app(&db.url, "").await;
        audit(&app, db.name == "postgres").await;
        app.state
            .accounts
            .add_user(
                "draft@example.com",
                "editor password",
                sahifa::accounts::Role::Editor,
                true,
            )
            .await
            .expect("editor");
        let editor = client();
        let (status, _, _) = sign_in(&editor, &app, "draft@example.com", "editor password").await;
        assert_eq!(status, 303);
        let form = |body: &'static str, action: &'static str| {
            [
                ("title", "مسودة عن ميزانية البلدية"),
                ("body", body),
                ("action", action),
            ]
        };
        let (status, location, page) = submit(
            &editor,
            &app,
            "/desk/new",
            "/desk/articles",
            &form("نص المسودة الأول.", "draft"),
        )
        .await;
        assert_eq!(status, 303, "{}: {page}", db.name);
        let edit = location.expect("location");
        let id = edit.rsplit('/').next().expect("id").to_string();
        let first = statuses(&app).await;
        assert!(
            !first.is_empty() && first.iter().all(|s| s == "draft"),
            "{}: the row is only ever written as a draft: {first:?}",
            db.name
        );
        let public = format!("/articles/desk/{id}");
        assert_eq!(get(&client(), &app, &public).await.0, 404, "{}", db.name);

        // Published with new text, then back to draft with the same text: each save is one
        // write with its own status.
        let (status, _, _) =
            submit(&editor, &app, &edit, &edit, &form("نص منشور.", "publish")).await;
        assert_eq!(status, 200, "{}", db.name);
        assert_eq!(get(&client(), &app, &public).await.0, 200, "{}", db.name);
        let (status, _, _) = submit(&editor, &app, &edit, &edit, &form("نص منشور.", "draft")).await;
        assert_eq!(status, 200, "{}", db.name);
        assert_eq!(get(&client(), &app, &public).await.0, 404, "{}", db.name);
        let (status, _, _) = submit(
            &editor,
            &app,
            &edit,
            &edit,
            &form("نص مسودة ثانية.", "draft"),
        )
        .await;
        assert_eq!(status, 200, "{}", db.name);
        let seen = statuses(&app).await;
        assert_eq!(
            seen.first().map(String::as_str),
            Some("draft"),
            "{}",
            db.name
        );
        assert_eq!(
            seen.last().map(String::as_str),
            Some("draft"),
            "{}",
            db.name
        );
        // Every write after the first published save and before the move back to draft
        // says published; every write after that says draft.
        let first_published = seen
            .iter()
            .position(|s| s == "published")
            .expect("published");
        let back = seen[first_published..]
            .iter()
            .position(|s| s == "draft")
            .expect("draft again")
            + first_published;
        assert!(
            seen[first_published..back].iter().all(|s| s == "published")
                && seen[back..].iter().all(|s| s == "draft")
                && seen[..first_published].iter().all(|s| s == "draft"),
            "{}: {seen:?}",
            db.name
        );
        assert_eq!(get(&client(), &app, &public).await.0, 404, "{}", db.name);
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
