//! `serve --demo`'s newsletter: the demo member is subscribed to a daily brief that has a
//! sent edition, so its public archive lists an edition page and the member's newsletters
//! page shows it; loading the demo again makes no second edition.

use crate::accounts_support::{client, get, sign_in};
use crate::helpers::TestApp;

#[tokio::test]
async fn the_demo_member_finds_a_newsletter_with_a_sent_edition() {
    let app = TestApp::spawn().await;
    let state = &app.state;
    sahifa::demo::load(&state.newsroom).await.expect("demo");
    sahifa::demo::member(state).await.expect("member");
    sahifa::demo::newsletter(state).await.expect("newsletter");
    sahifa::demo::newsletter(state).await.expect("again");
    let n = state
        .newsletters
        .by_slug("demo-brief")
        .await
        .expect("q")
        .expect("the demo newsletter");
    let editions = state.store.editions_of(n.pk, 10).await.expect("editions");
    assert_eq!(
        editions.len(),
        1,
        "one edition, however often the demo loads"
    );
    let edition = &editions[0];
    let c = crate::newsletters_support::settled(&app, edition.pk).await;
    assert_eq!((c.recipients, c.sent), (1, 1), "{c:?}");

    let bare = client();
    let (s, body) = get(&bare, &app, "/newsletters/demo-brief").await;
    assert_eq!(s, 200);
    let page = format!("/newsletters/demo-brief/{}", edition.pk);
    assert!(
        body.contains(&page),
        "the archive lists the edition: {body}"
    );
    let (s, body) = get(&bare, &app, &page).await;
    assert_eq!(s, 200);
    assert!(body.contains(&edition.subject), "{body}");

    let c = client();
    let (s, _, _) = sign_in(
        &c,
        &app,
        sahifa::demo::MEMBER_EMAIL,
        sahifa::demo::MEMBER_PASSWORD,
    )
    .await;
    assert_eq!(s, 303);
    let (s, body) = get(&c, &app, "/account/newsletters").await;
    assert_eq!(s, 200);
    assert!(body.contains("الموجز اليومي"), "{body}");
    assert!(
        body.contains("value=\"unsubscribe\""),
        "the member is subscribed"
    );
}
