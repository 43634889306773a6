//! A real browser (chromium) signs in, follows a tag from an article page, sees the feed
//! change with the reason naming the tag, presses "less like this" and sees the item go.

use std::time::Duration;

use sahifa::accounts::Role;

use crate::accounts_browser::Browser;
use crate::foryou_support::{app_with_corpus, tag_slug};
use crate::helpers::databases;

#[tokio::test]
async fn a_member_follows_a_tag_in_the_browser_and_tunes_the_feed() {
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let app = app_with_corpus(&db.url, 12).await;
        let email = format!("reader-{}@example.com", db.name);
        let user = app
            .state
            .accounts
            .add_user(&email, "browser password 1", Role::Reader, true)
            .await
            .expect("member");
        browser.clear_cookies().await;
        browser.goto(&format!("{}/signin", app.addr)).await;
        browser.type_into("#signin-password #email", &email).await;
        browser
            .type_into("#signin-password #password", "browser password 1")
            .await;
        browser.click("#signin-password button[type=submit]").await;
        browser.wait_for_text("account-email").await;

        // The feed before: nothing about تونس is followed yet.
        browser.goto(&format!("{}/for-you", app.addr)).await;
        let before = browser.wait_for_text("feed-card").await;
        assert!(!before.contains("لأنك تتابع تونس"), "{}", db.name);

        // Follow the tag from an article page; the page stays where it is.
        let slug = tag_slug(&app, "wire-b", "middleEast-6", "تونس").await;
        let article = format!("{}/articles/wire-b/middleEast-6", app.addr);
        browser.goto(&article).await;
        browser.wait_for_text("+ تابِع تونس").await;
        browser
            .click(&format!(
                "form.follow:has(input[name=value][value='{slug}']) button"
            ))
            .await;
        browser.wait_for_text(r#"aria-pressed="true""#).await;
        assert_eq!(browser.url().await, article, "{}: the page moved", db.name);
        assert!(
            app.state
                .reader
                .is_following(user.pk, sahifa::reader::FollowKind::Tag, &slug)
                .await
                .expect("follows"),
            "{}: the follow was not stored",
            db.name
        );

        // The feed now leads with the tag, and says so.
        browser.goto(&format!("{}/for-you", app.addr)).await;
        browser.wait_for_text("لأنك تتابع تونس").await;
        let first = app
            .state
            .reader
            .feed(
                user.pk,
                20,
                None,
                sahifa::locale::Tr::new(sahifa::locale::Locale::Ar),
            )
            .await
            .expect("feed")
            .items
            .remove(0);
        assert_eq!(first.reason, "لأنك تتابع تونس", "{}", db.name);
        assert!(browser.source().await.contains(&first.title), "{}", db.name);

        // "Less like this" on that item (this tag): the card goes at once, and stays gone.
        browser
            .click(".feed .feed-card:first-of-type details.less summary")
            .await;
        browser
            .click(".feed .feed-card:first-of-type button.less-tag")
            .await;
        let mut gone = false;
        for _ in 0..50 {
            if !browser.source().await.contains(&first.title) {
                gone = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(gone, "{}: the card is still there", db.name);
        assert!(browser.url().await.ends_with("/for-you"), "{}", db.name);
        browser.goto(&format!("{}/for-you", app.addr)).await;
        let after = browser.wait_for_text("feed-card").await;
        assert!(
            !after.contains(&first.title),
            "{}: back after a reload",
            db.name
        );
        app.state.store.close().await;
        db.drop_schema().await;
    }
}
