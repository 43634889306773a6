//! Security headers on every page, no-store on account pages, and no inline script, style
//! or event handler in any page template (the CSP would block them).

use crate::helpers::TestApp;

#[tokio::test]
async fn every_page_has_the_security_headers_and_account_pages_are_not_stored() {
    let app = TestApp::spawn().await;
    sahifa::demo::load(&app.state.newsroom).await.expect("demo");
    for path in [
        "/",
        "/articles/asharq-alawsat/libya-benghazi-haftar",
        "/search?q=x",
        "/sections/sport",
        "/signin",
        "/signup",
        "/no/such/page",
        "/feeds/latest.rss",
        "/api/v1/articles",
    ] {
        let r = app.get(path).await;
        let h = r.headers();
        let get = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let csp = get("content-security-policy");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{path}");
        assert!(!get("referrer-policy").is_empty(), "{path}");
    }
    for path in ["/signin", "/signup", "/reset"] {
        let r = app.get(path).await;
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    // Signed in: the account page is not stored either.
    let email = "headers@example.com";
    app.state
        .accounts
        .add_user(
            email,
            "long password 1",
            sahifa::accounts::Role::Reader,
            true,
        )
        .await
        .expect("member");
    let (status, _, _) =
        crate::accounts_support::sign_in(&app.client, &app, email, "long password 1").await;
    assert_eq!(status, 303);
    let r = app.get("/account").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
}

#[test]
fn no_template_has_inline_script_style_or_event_handlers() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut bad = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("templates").flatten() {
            let path = entry.path();
            if path.is_dir() {
                // E-mail HTML needs inline styles (mail clients drop stylesheets).
                if path.file_name().is_some_and(|n| n != "mail") {
                    stack.push(path);
                }
                continue;
            }
            // Mail bodies need inline styles (mail clients drop stylesheets), and the saved
            // items' HTML export is one self-contained file read offline, not a site page.
            let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy();
            if [
                "newsletter/mail.mjml",
                "newsletter/confirm_mail.html",
                "saved/export_head.html",
            ]
            .contains(&rel.as_ref())
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let lower = text.to_ascii_lowercase();
            for needle in ["<script>", "<script ", "<style", " style=", "javascript:"] {
                if let Some(i) = lower.find(needle) {
                    let is_external = needle == "<script "
                        && lower[i..]
                            .split('>')
                            .next()
                            .is_some_and(|t| t.contains("src="));
                    if !is_external {
                        bad.push(format!("{}: {needle}", path.display()));
                    }
                }
            }
            for (i, _) in lower.match_indices(" on") {
                let attr: String = lower[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                if attr.len() > 3 && lower[i + 1 + attr.len()..].starts_with('=') {
                    bad.push(format!("{}: {attr}=", path.display()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
