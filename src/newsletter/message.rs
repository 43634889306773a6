//! The MIME message of one newsletter mail: typed headers (`List-Id`, `List-Unsubscribe`
//! with an HTTPS link, `List-Unsubscribe-Post: List-Unsubscribe=One-Click` per RFC 8058), a
//! Message-ID fixed by (edition, recipient), and a DKIM signature whose `h=` names both
//! List-Unsubscribe headers when a key is configured.

use anyhow::Context;
use lettre::Message;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use super::render::Rendered;
use crate::config::Config;

macro_rules! text_header {
    ($ty:ident, $name:literal) => {
        #[doc = concat!("The `", $name, "` header.")]
        #[derive(Debug, Clone, PartialEq)]
        pub struct $ty(pub String);

        impl Header for $ty {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($ty(s.to_string()))
            }
            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");
text_header!(ListId, "List-Id");

/// Headers the DKIM signature covers.
const SIGNED: [&str; 8] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// What one mail is addressed and identified by.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    pub list_id: &'a str,
    pub unsubscribe_url: &'a str,
}

/// The Message-ID of edition `edition` to subscriber `subscriber`: the same on every
/// attempt, so a receiving server can drop a copy it already has.
pub fn message_id(edition: i64, subscriber: i64, domain: &str) -> String {
    format!("<nl-{edition}-{subscriber}@{domain}>")
}

/// The domain part of the sender, for Message-IDs and List-Id.
pub fn sender_domain(from: &Mailbox) -> String {
    from.email.domain().to_string()
}

/// Builds (and signs, with `dkim`) the message.
pub fn build(
    from: &Mailbox,
    env: &Envelope<'_>,
    parts: &Rendered,
    dkim: Option<&DkimConfig>,
) -> anyhow::Result<Message> {
    let (local, domain) = env
        .to
        .split_once('@')
        .context("recipient address without @")?;
    let to = lettre::Address::new(local, domain).context("recipient address")?;
    let mut message = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(env.subject)
        .message_id(Some(env.message_id.to_string()))
        .header(ListId(env.list_id.to_string()))
        .header(ListUnsubscribe(format!("<{}>", env.unsubscribe_url)))
        .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()))
        .multipart(MultiPart::alternative_plain_html(
            parts.text.clone(),
            parts.html.clone(),
        ))
        .context("building the newsletter message")?;
    if let Some(cfg) = dkim {
        message.sign(cfg);
    }
    Ok(message)
}

/// The DKIM signer the configuration asks for: all of `dkim_key_file` (an RSA key in
/// PKCS#1 PEM, or an Ed25519 key as base64), `dkim_selector` and `dkim_domain`, or none.
pub fn dkim_from_config(config: &Config) -> anyhow::Result<Option<DkimConfig>> {
    let (Some(file), false, false) = (
        config.dkim_key_file.as_ref(),
        config.dkim_selector.trim().is_empty(),
        config.dkim_domain.trim().is_empty(),
    ) else {
        if config.dkim_key_file.is_some() {
            anyhow::bail!("dkim_key_file needs dkim_selector and dkim_domain too");
        }
        return Ok(None);
    };
    let pem = std::fs::read_to_string(file)
        .with_context(|| format!("reading dkim_key_file {}", file.display()))?;
    let algorithm = if pem.contains("BEGIN RSA PRIVATE KEY") {
        DkimSigningAlgorithm::Rsa
    } else {
        DkimSigningAlgorithm::Ed25519
    };
    let key = DkimSigningKey::new(pem.trim(), algorithm).map_err(|e| {
        anyhow::anyhow!(
            "dkim_key_file {}: not an RSA (PKCS#1 PEM) or Ed25519 key: {e}",
            file.display()
        )
    })?;
    Ok(Some(DkimConfig::new(
        config.dkim_selector.trim().to_string(),
        config.dkim_domain.trim().to_string(),
        key,
        SIGNED
            .iter()
            .map(|h| HeaderName::new_from_ascii_str(h))
            .collect(),
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_for_one_click_unsubscribe_and_a_fixed_message_id() {
        let from: Mailbox = "sahifa <news@news.example>".parse().expect("mailbox");
        let id = message_id(12, 34, &sender_domain(&from));
        assert_eq!(id, message_id(12, 34, "news.example"));
        assert_ne!(id, message_id(12, 35, "news.example"));
        let env = Envelope {
            to: "reader@example.com",
            subject: "الموجز\r\nBcc: x@y.z",
            message_id: &id,
            list_id: "brief.news.example",
            unsubscribe_url: "https://news.example/unsubscribe/1.abc",
        };
        let parts = Rendered {
            html: "<p>x</p>".into(),
            text: "x".into(),
        };
        let raw = String::from_utf8(build(&from, &env, &parts, None).expect("build").formatted())
            .expect("utf8");
        assert!(raw.contains("List-Unsubscribe: <https://news.example/unsubscribe/1.abc>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(raw.contains("Message-ID: <nl-12-34@news.example>"), "{raw}");
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }
}
