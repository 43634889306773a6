//! Passwords never reach logs, error answers, CLI output or stored mail: the real binary,
//! logging at trace level.

use std::io::Read;
use std::process::{Command, Stdio};

use serde_json::json;

use crate::accounts_support::{SmtpSink, client, csrf_of, free_port};
use crate::helpers::comes_up;

#[tokio::test]
async fn passwords_never_reach_logs_errors_or_cli_output() {
    let data = tempfile::tempdir().expect("tempdir");
    let secret = "Sesame-Open-4711-SECRET";
    let bin = env!("CARGO_BIN_EXE_sahifa");

    // CLI: the password comes on stdin and is never printed.
    let mut child = Command::new(bin)
        .arg("--data")
        .arg(data.path())
        .args([
            "user",
            "add",
            "--email",
            "Admin@Example.com",
            "--role",
            "admin",
            "--verified",
        ])
        .env_remove("SAHIFA_DATABASE_URL")
        .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sahifa");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{secret}").expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("added admin@example.com") && stdout.contains("admin"));
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
    let bad_role = Command::new(bin)
        .arg("--data")
        .arg(data.path())
        .args(["user", "add", "--email", "x@example.com", "--role", "boss"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("--role"));
    let list = Command::new(bin)
        .arg("--data")
        .arg(data.path())
        .args(["user", "list"])
        .output()
        .expect("run");
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(
        listed.contains("admin@example.com\tadmin\tverified"),
        "{listed}"
    );
    assert!(!listed.contains(secret));

    // The server, logging everything it can, its mail going to a real SMTP server.
    let sink = SmtpSink::start();
    let port = free_port();
    let mut server = Command::new(bin)
        .arg("--data")
        .arg(data.path())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("SAHIFA_DATABASE_URL")
        .env("SAHIFA_PASSWORD_MEMORY_KIB", "256")
        .env("SAHIFA_SECURE_COOKIES", "false")
        .env("SAHIFA_SMTP_URL", sink.url())
        .env("SAHIFA_MAIL_FROM", "sahifa <no-reply@sahifa.test>")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let http = client();
    assert!(comes_up(&http, &base, 100).await, "server did not start");
    let mut errors = String::new();
    let post_json = |body: String| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let r = http
                .post(format!("{base}/api/v1/accounts"))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("POST");
            r.text().await.expect("text")
        }
    };
    errors.push_str(
        &post_json(json!({"email": "a@example.com", "password": "Sesame"}).to_string()).await,
    );
    errors.push_str(&post_json(format!(r#"{{"email": 5, "password": "{secret}"}}"#)).await);
    errors.push_str(&post_json(format!(r#"{{"email": "bad", "password": "{secret}"}}"#)).await);
    errors.push_str(
        &post_json(json!({"email": "b@example.com", "password": secret}).to_string()).await,
    );
    let r = http
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "admin@example.com", "password": format!("{secret}x"), "name": "n"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 401);
    errors.push_str(&r.text().await.expect("text"));
    let r = http
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"email": "admin@example.com", "password": secret, "name": "n"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), 201);
    let page = http
        .get(format!("{base}/signin"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("text");
    let r = http
        .post(format!("{base}/signin"))
        .form(&[
            ("email", "admin@example.com"),
            ("password", &format!("wrong-{secret}")),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .expect("POST");
    errors.push_str(&r.text().await.expect("text"));
    assert!(
        !errors.contains(secret) && !errors.contains("Sesame"),
        "{errors}"
    );
    assert!(
        errors.contains("error"),
        "the errors were answered: {errors}"
    );

    // The sign-up of b@example.com sent its verification mail through the job queue.
    let mails = sink.wait_for("b@example.com", 1).await;
    let _ = server.kill();
    let mut log = String::new();
    server
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("read log");
    let _ = server.wait();
    // Every request above was traced (so the check below had something to look at).
    for uri in ["uri=/api/v1/accounts", "uri=/api/v1/tokens", "uri=/signin"] {
        assert!(log.contains(uri), "{uri} was not logged:\n{log}");
    }
    assert!(
        !log.contains(secret) && !log.contains("Sesame"),
        "a password reached the log"
    );
    // Nor does it reach the mail, decoded as the recipient reads it.
    for m in &mails {
        let all = format!(
            "{} {} {} {:?}",
            m.subject,
            m.text(),
            m.html.as_deref().unwrap_or(""),
            m.headers
        );
        assert!(m.text().contains("/verify"), "a verification mail: {all}");
        assert!(!all.contains(secret) && !all.contains("Sesame"), "{all}");
    }
}
