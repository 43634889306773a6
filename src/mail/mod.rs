//! Outgoing mail through one [`Mailer`] trait with three backends: SMTP (lettre), files in
//! `<data>/mail/` for local development (the default), and memory for unit tests. Every
//! message has a right-to-left HTML part and a plain-text part; header values go only
//! through lettre's typed builders.

mod backends;
pub mod texts;

pub use backends::{FileMailer, MemoryMailer, SmtpMailer};
pub use texts::{Locale, MailKind};

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use anyhow::Context;
use askama::Template;
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};

use crate::accounts::Email;
use crate::config::Config;

/// One message ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A fixed Message-ID (`<…@…>`), e.g. one per job so that a resend after a crash is
    /// recognisable; `None` lets the builder make a random one.
    pub message_id: Option<String>,
}

/// A boxed future, so the trait stays object-safe.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Where mail goes.
pub trait Mailer: Send + Sync {
    /// Delivers one message (or stores it, for the file and memory backends).
    fn send<'a>(&'a self, from: &'a Mailbox, mail: &'a OutgoingMail) -> SendFuture<'a>;
    /// The backend's name, for logs.
    fn name(&self) -> &'static str;
}

/// The mailer the configuration asks for: SMTP when `smtp_url` is set, else files.
pub fn from_config(config: &Config) -> anyhow::Result<Arc<dyn Mailer>> {
    if config.smtp_url.trim().is_empty() {
        Ok(Arc::new(FileMailer::new(config.data_dir.join("mail"))))
    } else {
        Ok(Arc::new(SmtpMailer::new(&config.smtp_url)?))
    }
}

/// Parses the configured sender, e.g. `sahifa <no-reply@example.com>`.
pub fn sender(config: &Config) -> anyhow::Result<Mailbox> {
    config
        .mail_from
        .parse::<Mailbox>()
        .with_context(|| format!("setting mail_from: {:?} is not a mailbox", config.mail_from))
}

/// Builds the MIME message: typed headers, plain text first, then the HTML alternative.
pub fn build_message(from: &Mailbox, mail: &OutgoingMail) -> anyhow::Result<Message> {
    let to_addr =
        lettre::Address::new(mail.to.local(), mail.to.domain()).context("recipient address")?;
    let mut builder = Message::builder();
    if let Some(id) = &mail.message_id {
        builder = builder.message_id(Some(id.clone()));
    }
    builder
        .from(from.clone())
        .to(Mailbox::new(None, to_addr))
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .context("building the message")
}

#[derive(Template)]
#[template(path = "mail/action.html")]
struct HtmlPart<'a> {
    lang: &'a str,
    heading: &'a str,
    intro: &'a str,
    action: &'a str,
    link: Option<&'a str>,
    code_label: &'a str,
    code: Option<&'a str>,
    outro: &'a str,
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "mail/action.txt")]
struct TextPart<'a> {
    heading: &'a str,
    intro: &'a str,
    action: &'a str,
    link: Option<&'a str>,
    code_label: &'a str,
    code: Option<&'a str>,
    outro: &'a str,
    footer: &'a str,
}

/// Renders a message of `kind` in `locale` with an optional link and one-time code.
pub fn compose(
    kind: MailKind,
    locale: Locale,
    to: &Email,
    link: Option<&str>,
    code: Option<&str>,
) -> anyhow::Result<OutgoingMail> {
    let t = texts::text(kind, locale);
    let footer = texts::footer(locale);
    let code_label = texts::code_label(locale);
    let html = HtmlPart {
        lang: locale.as_str(),
        heading: &t.heading,
        intro: &t.intro,
        action: &t.action,
        link,
        code_label: &code_label,
        code,
        outro: &t.outro,
        footer: &footer,
    }
    .render()
    .context("rendering the HTML part")?;
    let text = TextPart {
        heading: &t.heading,
        intro: &t.intro,
        action: &t.action,
        link,
        code_label: &code_label,
        code,
        outro: &t.outro,
        footer: &footer,
    }
    .render()
    .context("rendering the text part")?;
    Ok(OutgoingMail {
        to: to.clone(),
        subject: t.subject.to_string(),
        text,
        html,
        message_id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to() -> Email {
        Email::parse("reader@example.com").expect("valid")
    }

    #[tokio::test]
    async fn memory_backend_keeps_rtl_html_and_text_parts() {
        let mailer = MemoryMailer::default();
        let from: Mailbox = "sahifa <no-reply@example.com>".parse().expect("mailbox");
        let link = "https://news.example/verify?token=a<b>&c";
        let mail = compose(MailKind::Verify, Locale::Ar, &to(), Some(link), None).expect("mail");
        mailer.send(&from, &mail).await.expect("send");
        let sent = mailer.sent();
        assert_eq!(sent.len(), 1);
        let m = &sent[0];
        assert!(m.html.contains(r#"lang="ar" dir="rtl""#), "{}", m.html);
        assert!(m.html.contains("token=a&#60;b&#62;&#38;c") || m.html.contains("a&lt;b&gt;&amp;c"));
        assert!(m.text.contains(link));
        assert!(
            !m.text.contains("<p") && !m.text.contains("&lt;"),
            "{}",
            m.text
        );
        assert!(m.subject.contains("تأكيد"));
        let en = compose(MailKind::Verify, Locale::En, &to(), Some(link), None).expect("mail");
        assert!(en.html.contains(r#"lang="en" dir="ltr""#));
        assert!(en.subject.contains("Confirm"));
    }

    #[tokio::test]
    async fn without_smtp_mail_goes_to_eml_files_in_the_data_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let mailer = from_config(&config).expect("mailer");
        assert_eq!(mailer.name(), "file");
        let mail = compose(
            MailKind::Reset,
            Locale::Ar,
            &to(),
            Some("https://x/r?token=t"),
            None,
        )
        .expect("mail");
        mailer
            .send(&sender(&config).expect("from"), &mail)
            .await
            .expect("send");
        let files: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .expect("mail folder")
            .flatten()
            .collect();
        assert_eq!(files.len(), 1);
        let raw = std::fs::read_to_string(files[0].path()).expect("read");
        assert!(raw.contains("To: reader@example.com") && raw.contains("text/html"));
        let bad = Config {
            smtp_url: "not a url".into(),
            ..Config::default()
        };
        assert!(from_config(&bad).is_err_and(|e| format!("{e:#}").contains("smtp_url")));
    }

    #[test]
    fn verification_mail_snapshots() {
        let link = "https://news.example/verify?token=abc";
        let ar = compose(MailKind::Verify, Locale::Ar, &to(), Some(link), None).expect("mail");
        insta::assert_snapshot!("verify_ar_text", ar.text);
        insta::assert_snapshot!("verify_ar_html", ar.html);
        let en = compose(
            MailKind::SignIn,
            Locale::En,
            &to(),
            Some(link),
            Some("123456"),
        )
        .expect("mail");
        insta::assert_snapshot!("signin_en_text", en.text);
    }

    #[test]
    fn message_has_both_parts_and_typed_headers() {
        let from: Mailbox = "sahifa <no-reply@example.com>".parse().expect("mailbox");
        let mut mail = compose(
            MailKind::Reset,
            Locale::Ar,
            &to(),
            Some("https://x/r"),
            None,
        )
        .expect("mail");
        mail.subject = "hi\r\nBcc: victim@example.com".into();
        let raw =
            String::from_utf8(build_message(&from, &mail).expect("msg").formatted()).expect("utf8");
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain"));
        assert!(raw.contains("text/html"));
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }
}
