//! DKIM: with `dkim_key_file`, `dkim_selector` and `dkim_domain` set, a newsletter mail is
//! signed with both List-Unsubscribe headers in `h=`, and dkimpy (python3-dkim) verifies it
//! against the public key.

use std::process::Command;

use sahifa::app::AppState;

use crate::accounts_support::test_config;
use crate::newsletters_support::articles;

#[tokio::test]
async fn newsletter_mail_is_dkim_signed_over_both_list_unsubscribe_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = dir.path().join("dkim.pem");
    let public = dir.path().join("dkim.pub");
    let ok = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .expect("openssl (scripts/test installs it)");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let ok = Command::new("openssl")
        .args(["rsa", "-pubout", "-in"])
        .arg(&key)
        .arg("-out")
        .arg(&public)
        .output()
        .expect("openssl");
    assert!(ok.status.success());
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut config = test_config(dir.path(), &url, "https://news.example", "");
    config.dkim_key_file = Some(key.clone());
    config.dkim_selector = "s1".into();
    config.dkim_domain = "sahifa.test".into();
    let state = AppState::build(config).await.expect("state");
    state
        .newsroom
        .ingest_records(articles(4, &[]), "test", "test")
        .await
        .expect("ingest");
    let nl = &state.newsletters;
    nl.add("brief", "الموجز", "brief", None, Some(""), "", None)
        .await
        .expect("add");
    let csv = dir.path().join("l.csv");
    std::fs::write(&csv, "email\nsigned@example.com\n").expect("csv");
    nl.import_subscribers("brief", &csv).await.expect("import");
    let n = nl.by_slug("brief").await.expect("q").expect("n");
    let (e, _) = nl.send_now(&n).await.expect("send");
    let outcome = nl
        .drain(e.pk, "test", std::time::Duration::from_secs(10))
        .await
        .expect("drain");
    assert_eq!(outcome, sahifa::newsletter::deliver::Drain::Done);
    let mail = std::fs::read_dir(dir.path().join("mail"))
        .expect("mail folder")
        .flatten()
        .map(|e| e.path())
        .next()
        .expect("one .eml");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/dkim_verify.py");
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&mail)
        .arg(&public)
        .output()
        .expect("python3 with python3-dkim");
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = said
        .trim()
        .strip_prefix("OK h=")
        .expect("h= tag")
        .to_ascii_lowercase();
    let signed: Vec<&str> = h.split(':').collect();
    assert!(signed.contains(&"list-unsubscribe"), "{h}");
    assert!(signed.contains(&"list-unsubscribe-post"), "{h}");
    // A changed unsubscribe header breaks the signature.
    let raw = std::fs::read_to_string(&mail).expect("read");
    let forged = raw.replace(
        "List-Unsubscribe: <https://news.example/",
        "List-Unsubscribe: <https://evil.example/",
    );
    assert_ne!(forged, raw);
    let forged_path = dir.path().join("forged.eml");
    std::fs::write(&forged_path, forged).expect("write");
    let out = Command::new("/usr/bin/python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/dkim_verify.py"))
        .arg(&forged_path)
        .arg(&public)
        .output()
        .expect("python3");
    assert!(!out.status.success(), "a forged header must not verify");
}
