//! The three mail backends.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{Mailer, OutgoingMail, SendFuture, build_message};

/// Delivers through an SMTP server named by a URL (`smtp://…`, `smtps://…`).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl SmtpMailer {
    pub fn new(url: &str) -> anyhow::Result<SmtpMailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .context("setting smtp_url is not a valid SMTP URL")?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(SmtpMailer { transport })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, from: &'a Mailbox, mail: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async move {
            let message = build_message(from, mail)?;
            self.transport
                .send(message)
                .await
                .context("sending through SMTP")?;
            Ok(())
        })
    }
    fn name(&self) -> &'static str {
        "smtp"
    }
    fn send_message<'a>(&'a self, message: &'a lettre::Message) -> SendFuture<'a> {
        Box::pin(async move {
            self.transport
                .send_raw(message.envelope(), &message.formatted())
                .await
                .context("sending through SMTP")?;
            Ok(())
        })
    }
}

/// Writes each message as an `.eml` file into a folder (local development).
pub struct FileMailer {
    dir: PathBuf,
}

impl FileMailer {
    pub fn new(dir: PathBuf) -> FileMailer {
        FileMailer { dir }
    }
}

impl Mailer for FileMailer {
    fn send<'a>(&'a self, from: &'a Mailbox, mail: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async move {
            let raw = build_message(from, mail)?.formatted();
            self.write(raw).await
        })
    }
    fn name(&self) -> &'static str {
        "file"
    }
    fn send_message<'a>(&'a self, message: &'a lettre::Message) -> SendFuture<'a> {
        Box::pin(async move { self.write(message.formatted()).await })
    }
}

impl FileMailer {
    async fn write(&self, raw: Vec<u8>) -> anyhow::Result<()> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .with_context(|| format!("creating {}", self.dir.display()))?;
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.3f"),
            &crate::accounts::tokens::random_token()[..8]
        );
        let path = self.dir.join(name);
        tokio::fs::write(&path, raw)
            .await
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

/// Keeps messages in memory (unit tests).
#[derive(Clone, Default)]
pub struct MemoryMailer {
    sent: Arc<Mutex<Vec<OutgoingMail>>>,
    raw: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl MemoryMailer {
    /// Every message sent so far, oldest first.
    pub fn sent(&self) -> Vec<OutgoingMail> {
        self.sent.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// Every prepared message sent so far (newsletters), as formatted bytes.
    pub fn raw_messages(&self) -> Vec<Vec<u8>> {
        self.raw.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl Mailer for MemoryMailer {
    fn send<'a>(&'a self, from: &'a Mailbox, mail: &'a OutgoingMail) -> SendFuture<'a> {
        Box::pin(async move {
            // Build it anyway so memory tests catch what SMTP would refuse.
            build_message(from, mail)?;
            self.sent
                .lock()
                .map_err(|_| anyhow::anyhow!("memory mailer poisoned"))?
                .push(mail.clone());
            Ok(())
        })
    }
    fn name(&self) -> &'static str {
        "memory"
    }
    fn send_message<'a>(&'a self, message: &'a lettre::Message) -> SendFuture<'a> {
        Box::pin(async move {
            self.raw
                .lock()
                .map_err(|_| anyhow::anyhow!("memory mailer poisoned"))?
                .push(message.formatted());
            Ok(())
        })
    }
}
