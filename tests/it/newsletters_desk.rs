//! "Send as breaking" on the editor's desk: the article page of the desk shows the button
//! (in a CSRF-protected form); pressing it queues one edition of each `breaking`
//! newsletter, which reaches its subscribers through the real SMTP server, once per
//! article; without the CSRF token, or as a reader, nothing is sent.

use sahifa::accounts::Role;

use crate::accounts_support::{SmtpSink, csrf_of, get, post_form, signed_in, spawn_with};
use crate::helpers::databases;
use crate::newsletters_support::{articles, import_subscribers, settled};

#[tokio::test]
async fn an_editor_sends_an_article_as_breaking_news_from_the_desk() {
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let name = db.name;
        let sink = SmtpSink::start();
        let app = spawn_with(&db.url, &sink.url(), |_| {}).await;
        app.ingest(articles(3, &[])).await;
        let nl = &app.state.newsletters;
        nl.add("alerts", "عاجل", "breaking", None, None, "", Some(1))
            .await
            .expect("add");
        import_subscribers(&app, "alerts", &["r@example.com".to_string()], "").await;
        let pk = nl.by_slug("alerts").await.expect("q").expect("alerts").pk;
        let editions = || async { app.state.store.editions_of(pk, 10).await.expect("e") };

        let editor = signed_in(&app, "editor@example.com", Role::Editor).await;
        let (s, page) = get(&editor, &app, "/desk/edit/wire/n1").await;
        assert_eq!(s, 200, "{name}");
        assert!(
            page.contains(r#"action="/desk/breaking/wire/n1""#),
            "{name}: {page}"
        );
        assert!(page.contains("أرسل كخبر عاجل"), "{name}");
        let token = csrf_of(&page);

        // Without the token, or as a reader: nothing is queued.
        let (s, _, _) = post_form(&editor, &app, "/desk/breaking/wire/n1", &[]).await;
        assert!(s == 403 || s == 400, "{name}: {s}");
        let reader = signed_in(&app, "reader@example.com", Role::Reader).await;
        let (_, account) = get(&reader, &app, "/account").await;
        let theirs = csrf_of(&account);
        let (s, _, _) = post_form(
            &reader,
            &app,
            "/desk/breaking/wire/n1",
            &[("csrf", &theirs)],
        )
        .await;
        assert_eq!(s, 403, "{name}");
        assert!(editions().await.is_empty(), "{name}");

        let (s, _, body) =
            post_form(&editor, &app, "/desk/breaking/wire/n1", &[("csrf", &token)]).await;
        assert_eq!(s, 200, "{name}: {body}");
        assert!(body.contains("نشرة عاجلة واحدة"), "{name}: {body}");
        let sent = editions().await;
        assert_eq!(sent.len(), 1, "{name}");
        let c = settled(&app, sent[0].pk).await;
        assert_eq!((c.recipients, c.sent), (1, 1), "{name}");
        let mail = sink.wait_for("r@example.com", 1).await.remove(0);
        assert!(
            mail.subject.starts_with("عاجل: خبر رقم 1"),
            "{name}: {}",
            mail.subject
        );

        // Once per article.
        let (s, _, body) =
            post_form(&editor, &app, "/desk/breaking/wire/n1", &[("csrf", &token)]).await;
        assert_eq!(s, 200, "{name}");
        assert!(body.contains("لا توجد نشرة عاجلة"), "{name}: {body}");
        assert_eq!(editions().await.len(), 1, "{name}");
        db.drop_schema().await;
    }
}
