//! Account use-cases against the memory mail backend and an SQLite store.

use std::sync::Arc;
use std::time::Duration;

use super::{AccountError, Accounts, RateLimiter, Role};
use crate::config::Config;
use crate::jobs::{Queue, QueueSettings, Registry, Runner, Shutdown};
use crate::mail::{Locale, MemoryMailer, OutgoingMail};
use crate::store::Store;

async fn accounts() -> (Accounts, MemoryMailer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.expect("store");
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        base_url: "https://news.example".into(),
        password_memory_kib: 64,
        password_iterations: 1,
        ..Config::default()
    };
    let mailer = MemoryMailer::default();
    let settings = QueueSettings {
        poll: Duration::from_millis(20),
        ..QueueSettings::default()
    };
    let jobs = Queue::new(store.clone(), settings.clone());
    let accounts = Accounts::new(
        store,
        Arc::new(mailer.clone()),
        Arc::new(RateLimiter::new()),
        Arc::new(config),
        jobs.clone(),
    )
    .expect("accounts");
    // The account mail goes through the queue: run its kind as `serve` would.
    let mut kinds = Registry::new();
    crate::jobs::account_mail::register(&mut kinds, |a: &Accounts| a);
    let runner = Runner::new(jobs, Arc::new(kinds), accounts.clone(), settings);
    tokio::spawn(runner.run(Shutdown::new()));
    (accounts, mailer, dir)
}

async fn mail_to(mailer: &MemoryMailer, to: &str, n: usize) -> Vec<OutgoingMail> {
    for _ in 0..100 {
        let got: Vec<OutgoingMail> = mailer
            .sent()
            .into_iter()
            .filter(|m| m.to.as_str() == to)
            .collect();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {n} mail(s) to {to}");
}

fn token_in(mail: &OutgoingMail) -> String {
    let start = mail.text.find("token=").expect("a token link") + 6;
    mail.text[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_string()
}

#[tokio::test]
async fn sign_up_verify_and_sign_in_with_the_memory_mailer() {
    let (acc, mailer, _dir) = accounts().await;
    let done = acc
        .sign_up("New@Example.com", "long enough pw", "1.2.3.4", Locale::En)
        .await
        .expect("sign up");
    assert_eq!(done.email.as_str(), "new@example.com");
    let mail = &mail_to(&mailer, "new@example.com", 1).await[0];
    assert!(
        mail.subject.starts_with("Confirm"),
        "English locale: {}",
        mail.subject
    );
    assert!(mail.text.contains("https://news.example/verify?token="));
    let user = acc.verify_email(&token_in(mail)).await.expect("verify");
    assert!(user.verified);
    assert!(matches!(
        acc.verify_email(&token_in(mail)).await,
        Err(AccountError::BadToken)
    ));
    let signed = acc
        .sign_in("new@example.com", "long enough pw", "1.2.3.4")
        .await
        .expect("sign in");
    assert_eq!((signed.uid, signed.role), (done.uid, Role::Reader));

    // A second sign-up for the address: same shape, another id, an "already" mail.
    let again = acc
        .sign_up("new@example.com", "another password", "1.2.3.4", Locale::Ar)
        .await
        .expect("same answer");
    assert_ne!(again.uid, user.uid);
    let mails = mail_to(&mailer, "new@example.com", 2).await;
    assert!(mails[1].text.contains("/signin"));
    assert!(
        acc.sign_in("new@example.com", "another password", "1.2.3.4")
            .await
            .is_err(),
        "the second sign-up did not change the password"
    );
}

#[tokio::test]
async fn a_sign_in_link_is_only_spent_by_signing_in() {
    let (acc, mailer, _dir) = accounts().await;
    acc.add_user("a@example.com", "long enough pw", Role::Editor, true)
        .await
        .expect("add");
    acc.request_sign_in_link("a@example.com", "ip")
        .await
        .expect("request");
    acc.request_sign_in_link("nobody@example.com", "ip")
        .await
        .expect("same answer for unknown addresses");
    let mail = &mail_to(&mailer, "a@example.com", 1).await[0];
    let token = token_in(mail);
    for _ in 0..3 {
        assert!(acc.sign_in_link_is_live(&token).await.expect("peek"));
    }
    let user = acc.sign_in_with_link(&token).await.expect("sign in");
    assert_eq!(user.role, Role::Editor);
    assert!(!acc.sign_in_link_is_live(&token).await.expect("peek"));
    assert!(acc.sign_in_with_link(&token).await.is_err());
    assert!(
        mailer
            .sent()
            .iter()
            .all(|m| m.to.as_str() != "nobody@example.com")
    );
}

#[tokio::test]
async fn repeated_failures_limit_known_and_unknown_addresses_alike() {
    let (acc, _mailer, _dir) = accounts().await;
    acc.sign_up("known@example.com", "long enough pw", "1.2.3.4", Locale::En)
        .await
        .expect("sign up");
    let cap = super::ratelimit::SIGNIN_FAILURES_PER_ACCOUNT.max;
    for email in ["known@example.com", "nobody@example.com"] {
        // A new IP each time, so only the per-address counter can refuse.
        for i in 0..cap {
            let got = acc
                .sign_in(email, "wrong password", &format!("10.0.0.{i}"))
                .await;
            assert!(
                matches!(got, Err(AccountError::BadCredentials)),
                "{email} #{i}"
            );
        }
        let got = acc.sign_in(email, "wrong password", "10.0.1.1").await;
        assert!(
            matches!(got, Err(AccountError::RateLimited)),
            "{email}: {got:?}"
        );
    }
}
