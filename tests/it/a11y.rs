//! Accessibility in a real browser: axe-core (from npm, injected by WebDriver) on the home,
//! article, search, sign-up, account and tag pages in both locales and both colour
//! schemes, with no serious or critical violation; the skip link, visible focus, and the
//! search and sign-in forms used from the keyboard alone. With `SAHIFA_SCREENSHOTS=DIR`
//! the pages are also photographed (phone and desktop) into DIR.

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};

use crate::accounts_browser::Browser;
use crate::helpers::TestApp;

/// axe.min.js: `SAHIFA_AXE_JS`, else where scripts/test installs it with npm.
fn axe_source() -> String {
    let path = std::env::var("SAHIFA_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
            PathBuf::from(home).join(".cache/sahifa-npm/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install it with `npm install --prefix ~/.cache/sahifa-npm axe-core@4` \
             (scripts/test does)",
            path.display()
        )
    })
}

impl Browser {
    async fn run(&self, script: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// axe-core's serious and critical violations on the current page.
    async fn axe(&self, axe: &str) -> Vec<String> {
        self.run(&format!("{axe}\nreturn 1;")).await;
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({"script": "const done = arguments[arguments.length - 1];\
                    axe.run(document).then(r => done(r.violations\
                      .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                      .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.html).slice(0, 3).join(' | '))))\
                      .catch(e => done(['axe failed: ' + e]));", "args": []})),
            )
            .await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe answered {v}")])
    }

    async fn keys(&self, text: &str) {
        let actions: Vec<Value> = text
            .chars()
            .flat_map(|c| {
                let k = c.to_string();
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.cmd(
            reqwest::Method::POST,
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kb", "actions": actions}]})),
        )
        .await;
        self.cmd(reqwest::Method::DELETE, "/actions", None).await;
    }

    async fn dark(&self, on: bool) {
        let value = if on { "dark" } else { "light" };
        self.cmd(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": "Emulation.setEmulatedMedia", "params": {
                "features": [{"name": "prefers-color-scheme", "value": value}]}})),
        )
        .await;
    }

    async fn shoot(&self, dir: &std::path::Path, name: &str) {
        for (label, w, h) in [("phone", 390, 844), ("desktop", 1366, 900)] {
            self.cmd(
                reqwest::Method::POST,
                "/window/rect",
                Some(json!({"width": w, "height": h})),
            )
            .await;
            let png = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(png.as_str().unwrap_or(""))
                .expect("screenshot png");
            std::fs::write(dir.join(format!("{name}-{label}.png")), bytes).expect("write png");
        }
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": 1366, "height": 900})),
        )
        .await;
    }
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn axe_finds_no_serious_violation_and_forms_work_from_the_keyboard() {
    let axe = axe_source();
    let app = TestApp::spawn().await;
    sahifa::demo::load(&app.state.newsroom).await.expect("demo");
    let tag =
        crate::helpers::stored_article(&app.state.store, "asharq-alawsat", "libya-benghazi-haftar")
            .await
            .tags
            .first()
            .map(|t| sahifa::web::pages::encode(&t.slug))
            .expect("a tag");
    let email = "a11y@example.com";
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
    let shots = std::env::var("SAHIFA_SCREENSHOTS").ok().map(PathBuf::from);
    let browser = Browser::start().await;
    let base = &app.addr;
    let q = sahifa::web::pages::encode("ليبيا");
    let mut problems = Vec::new();
    for lang in ["ar", "en"] {
        browser.clear_cookies().await;
        browser.goto(&format!("{base}/?lang={lang}")).await;
        let visitor = [
            ("home", "/".to_string()),
            (
                "article",
                "/articles/asharq-alawsat/libya-benghazi-haftar".into(),
            ),
            ("search", format!("/search?q={q}")),
            ("signup", "/signup".into()),
            ("tag", format!("/tags/{tag}")),
        ];
        for (name, path) in &visitor {
            browser.goto(&format!("{base}{path}")).await;
            let html = browser.source().await;
            assert!(html.contains(&format!(r#"lang="{lang}""#)), "{lang} {path}");
            for dark in [false, true] {
                browser.dark(dark).await;
                for v in browser.axe(&axe).await {
                    problems.push(format!("{lang} {path} dark={dark}: {v}"));
                }
            }
            browser.dark(false).await;
            if let Some(dir) = &shots
                && ["home", "article", "search"].contains(name)
            {
                browser.shoot(dir, &format!("{name}-{lang}")).await;
            }
        }

        // Keyboard: the first Tab reaches the skip link, visibly focused; Enter skips.
        browser.goto(&format!("{base}/")).await;
        browser.keys(TAB).await;
        let focus = browser
            .run(
                "const e = document.activeElement; const s = getComputedStyle(e);\
                  return [e.className, s.outlineStyle, s.outlineWidth];",
            )
            .await;
        assert_eq!(focus[0], "skip", "{lang}: first Tab: {focus}");
        assert_ne!(focus[1], "none", "{lang}: focus is visible: {focus}");
        // The header search box by keyboard: focus it, type, Enter.
        browser
            .run("document.getElementById('head-q').focus(); return 1;")
            .await;
        browser.keys(&format!("ليبيا{ENTER}")).await;
        browser.wait_for_text(r#"role="status""#).await;
        assert!(
            browser.url().await.contains("/search?q="),
            "{lang}: search by keyboard"
        );
        // Sign in by keyboard: type in the e-mail field, Tab to the password, Enter.
        browser.goto(&format!("{base}/signin")).await;
        browser
            .run("document.getElementById('email').focus(); return 1;")
            .await;
        browser
            .keys(&format!("{email}{TAB}long password 1{ENTER}"))
            .await;
        browser.wait_for_text("account-email").await;
        assert!(
            browser.url().await.ends_with("/account"),
            "{lang}: signed in by keyboard"
        );
        // The member's setting (Arabic from the first round) wins over the cookie until the
        // member uses the switcher, which stores the new choice.
        browser.goto(&format!("{base}/account?lang={lang}")).await;
        let html = browser.wait_for_text("account-email").await;
        assert!(
            html.contains(&format!(r#"lang="{lang}""#)),
            "{lang}: account page"
        );
        for dark in [false, true] {
            browser.dark(dark).await;
            for v in browser.axe(&axe).await {
                problems.push(format!("{lang} /account dark={dark}: {v}"));
            }
        }
        browser.dark(false).await;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
