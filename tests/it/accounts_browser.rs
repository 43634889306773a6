//! A real browser (Debian's chromium through chromedriver, driven over the WebDriver
//! protocol) signs up, follows the verification link from the e-mail the SMTP server
//! received, signs in, and sees the account page; on SQLite and PostgreSQL.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::accounts_support::{SmtpSink, free_port, spawn_app};
use crate::helpers::databases;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session on it.
pub(crate) struct Browser {
    driver: Child,
    pub base: String,
    pub session: String,
    pub http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) async fn start() -> Browser {
        let chromedriver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("chromedriver is missing: apt-get install chromium chromium-driver (scripts/test does)");
        let chromium = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("chromium is missing: apt-get install chromium (scripts/test does)");
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let mut ready = false;
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/status")).send().await
                && r.json::<Value>()
                    .await
                    .is_ok_and(|v| v["value"]["ready"] == true)
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ready, "chromedriver did not become ready");
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--lang=ar",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                // A reader whose browser asks for Arabic (headless Chromium asks for en-US).
                "prefs": {"intl.accept_languages": "ar"}
            }
        }}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("session json");
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Browser {
            driver,
            base,
            session,
            http,
            _profile: profile,
        }
    }

    pub(crate) async fn cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("json");
        assert!(v["value"]["error"].is_null(), "webdriver {path}: {v}");
        v["value"].clone()
    }

    pub(crate) async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    pub(crate) async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    pub(crate) async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub(crate) async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub(crate) async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page source contains `text` (5 s at most).
    pub(crate) async fn wait_for_text(&self, text: &str) -> String {
        for _ in 0..50 {
            let s = self.source().await;
            if s.contains(text) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {text:?}: {}", self.source().await);
    }

    pub(crate) async fn clear_cookies(&self) {
        self.cmd(reqwest::Method::DELETE, "/cookie", None).await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[tokio::test]
async fn a_browser_signs_up_verifies_signs_in_and_sees_the_account() {
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for db in databases(dir.path()).await {
        let sink = SmtpSink::start();
        let app = spawn_app(&db.url, &sink.url()).await;
        let email = format!("browser-{}@example.com", db.name);
        browser.clear_cookies().await;

        browser.goto(&format!("{}/signup", app.addr)).await;
        browser.type_into("#email", &email).await;
        browser.type_into("#password", "browser password 1").await;
        browser
            .click("form[action='/signup'] button[type=submit]")
            .await;
        browser.wait_for_text("تحقق من بريدك").await;

        let mail = sink.next_for(&email, 0).await;
        let link = mail.link("/verify?token=").expect("verification link");
        browser.goto(&link).await;
        browser.wait_for_text("تم تأكيد بريدك").await;

        browser.click("main a[href='/signin']").await;
        browser.wait_for_text("signin-password").await;
        browser.type_into("#signin-password #email", &email).await;
        browser
            .type_into("#signin-password #password", "browser password 1")
            .await;
        browser.click("#signin-password button[type=submit]").await;
        let page = browser.wait_for_text("account-email").await;
        assert!(browser.url().await.ends_with("/account"));
        assert!(page.contains(&email));
        assert!(
            page.contains("مؤكَّد") && !page.contains("غير مؤكَّد"),
            "verified"
        );
        assert!(page.contains(r#"dir="rtl""#));

        // Sign out with the button; the account page then asks to sign in.
        browser.click("form[action='/signout'] button").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        browser.goto(&format!("{}/account", app.addr)).await;
        browser.wait_for_text("signin-password").await;
        app.state.store.close().await;
        db.drop_schema().await;
    }
    let _ = browser
        .http
        .delete(format!("{}/session/{}", browser.base, browser.session))
        .send()
        .await;
}
