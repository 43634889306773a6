//! The editor's and the admin's pages in English: the desk, its article form (a desk
//! article and an imported one, with the pin form), the members, newsletters and sources
//! pages leave no Arabic UI string (article text stays, marked `dir="auto"`).

use sahifa::accounts::Role;

use crate::accounts_support::{get, signed_in};
use crate::helpers::TestApp;
use crate::locale::arabic_outside_marked_text;

#[tokio::test]
async fn the_desk_and_admin_pages_speak_english_when_asked() {
    let app = TestApp::spawn().await;
    sahifa::demo::load(&app.state.newsroom).await.expect("demo");
    let admin = signed_in(&app, "admin@example.com", Role::Admin).await;
    let paths = [
        "/desk",
        "/desk/new",
        "/desk/edit/asharq-alawsat/libya-benghazi-haftar",
        "/desk/delete/asharq-alawsat/libya-benghazi-haftar",
        "/admin/members",
        "/admin/newsletters",
        "/admin/sources",
    ];
    for path in paths {
        let (status, html) = get(&admin, &app, &format!("{path}?lang=en")).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(r#"<html lang="en" dir="ltr">"#), "{path}");
        let left = arabic_outside_marked_text(&html);
        assert!(
            left.is_empty(),
            "{path}: Arabic UI text left:\n{}",
            left.join("\n")
        );
    }
    let (_, edit) = get(
        &admin,
        &app,
        "/desk/edit/asharq-alawsat/libya-benghazi-haftar",
    )
    .await;
    assert!(
        edit.contains("Pin for every member") && edit.contains("Not pinned."),
        "{edit}"
    );
    // The same pages in Arabic are Arabic.
    let (_, desk) = get(&admin, &app, "/desk?lang=ar").await;
    assert!(desk.contains("مكتب التحرير") && desk.contains("اكتب مقالاً جديداً"));
}
