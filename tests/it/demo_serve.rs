//! The README's first command as a newcomer runs it: `sahifa serve --demo` on a loopback
//! address over plain HTTP. Its cookies carry no Secure flag there (a browser may refuse
//! them from http://127.0.0.1), and the demo member signs in and finds a For-you feed, a
//! saved article and the newsletter archive.

use std::process::{Command, Stdio};

use crate::accounts_support::{client, csrf_of, free_port};
use crate::helpers::{comes_up, set_cookies};

#[tokio::test]
async fn the_demo_member_signs_in_over_plain_http_on_loopback() {
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .arg("--data")
        .arg(data.path())
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("SAHIFA_DATABASE_URL")
        .env_remove("SAHIFA_SECURE_COOKIES")
        .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve --demo");
    let base = format!("http://127.0.0.1:{port}");
    let c = client();
    assert!(
        comes_up(&c, &base, 600).await,
        "serve --demo did not answer within 60 s"
    );
    let r = c.get(format!("{base}/signin")).send().await.expect("GET");
    let cookies = set_cookies(&r);
    assert!(!cookies.is_empty(), "the sign-in page sets its CSRF cookie");
    assert!(cookies.iter().all(|c| !c.contains("Secure")), "{cookies:?}");
    let page = r.text().await.expect("page");
    let r = c
        .post(format!("{base}/signin"))
        .form(&[
            ("email", sahifa::demo::MEMBER_EMAIL),
            ("password", sahifa::demo::MEMBER_PASSWORD),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 303, "the demo member signs in");
    for (path, expect) in [
        ("/for-you", "class=\"reason"),
        ("/saved", "<li class=\"hit\">"),
        ("/newsletters/demo-brief", "/newsletters/demo-brief/"),
    ] {
        let r = c.get(format!("{base}{path}")).send().await.expect("GET");
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.expect("body");
        assert!(body.contains(expect), "{path}: {expect} not in the page");
    }
    let _ = server.kill();
    let _ = server.wait();
}
