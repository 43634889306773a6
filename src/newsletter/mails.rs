//! The mails of one edition as its senders build them. What every mail of an edition shares
//! is read once; the HTML and text parts (MJML through mrml, the costly step) are rendered
//! once per distinct list of stories — one for a brief, one per distinct digest — with the
//! recipient's unsubscribe token left as a slot, and each mail fills its own token in. The
//! stories of every digest of a claimed batch are read with one query.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Context;

use super::render::{self, MailView, Shared};
use super::{Item, Newsletter, Newsletters, message, tokens};
use crate::locale::Locale;
use crate::store::{DeliveryRow, EditionRow};

/// Distinct renderings one sender keeps (beyond, it starts again).
const KEEP: usize = 256;

/// An edition with what every mail of it shares.
pub(super) struct EditionMails {
    pub newsletter: Newsletter,
    pub edition: EditionRow,
    items: Vec<Item>,
    list_id: String,
    domain: String,
    /// Rendered parts by ledger payload (None: the edition's own items).
    parts: Mutex<HashMap<Option<String>, Arc<Shared>>>,
}

impl Newsletters {
    /// The one-click unsubscribe link of subscription `pk`.
    pub fn unsubscribe_url(&self, subscription_pk: i64) -> String {
        self.url(&format!(
            "/unsubscribe/{}",
            self.unsubscribe_token(subscription_pk)
        ))
    }

    fn unsubscribe_token(&self, subscription_pk: i64) -> String {
        tokens::sign(&self.secret, "unsubscribe", subscription_pk)
    }

    /// The subscription a one-click token names, if the token is genuine.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<i64> {
        tokens::verify(&self.secret, "unsubscribe", token)
    }

    pub(super) async fn edition_mails(&self, edition_pk: i64) -> anyhow::Result<EditionMails> {
        let edition = self
            .store
            .edition(edition_pk)
            .await?
            .with_context(|| format!("no edition {edition_pk}"))?;
        let row = self
            .store
            .newsletter(edition.newsletter_pk)
            .await?
            .context("the edition's newsletter is gone")?;
        let newsletter = Newsletter::from_row(row)?;
        let domain = message::sender_domain(&self.from);
        Ok(EditionMails {
            items: super::compose::edition_items(&edition),
            list_id: format!("{}.{domain}", newsletter.slug),
            newsletter,
            edition,
            domain,
            parts: Mutex::new(HashMap::new()),
        })
    }

    /// Renders the parts of every row of `rows` not rendered yet, reading the stories of
    /// all their digests at once.
    pub(super) async fn prepare(
        &self,
        cx: &EditionMails,
        rows: &[DeliveryRow],
    ) -> anyhow::Result<()> {
        let mut missing: Vec<Option<&str>> = {
            let parts = cx
                .parts
                .lock()
                .map_err(|_| anyhow::anyhow!("render cache poisoned"))?;
            rows.iter()
                .map(|r| r.payload.as_deref())
                .filter(|p| !parts.contains_key(&p.map(str::to_string)))
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let payloads: Vec<&str> = missing.iter().flatten().copied().collect();
        let mut digests = self.digest_items_of(&payloads).await?.into_iter();
        let mut made = Vec::with_capacity(missing.len());
        for p in missing {
            let shared = match p {
                None => self.shared_parts(cx, &cx.items, &cx.edition.preheader)?,
                Some(_) => {
                    let items = digests.next().unwrap_or_default();
                    self.shared_parts(cx, &items, &render::preheader(&items))?
                }
            };
            made.push((p.map(str::to_string), Arc::new(shared)));
        }
        let mut parts = cx
            .parts
            .lock()
            .map_err(|_| anyhow::anyhow!("render cache poisoned"))?;
        if parts.len() + made.len() > KEEP {
            parts.clear();
        }
        parts.extend(made);
        Ok(())
    }

    fn shared_parts(
        &self,
        cx: &EditionMails,
        items: &[Item],
        preheader: &str,
    ) -> anyhow::Result<Shared> {
        let view = MailView {
            locale: Locale::Ar,
            name: cx.newsletter.name.clone(),
            subject: cx.edition.subject.clone(),
            preheader: preheader.to_string(),
            dateline: render::dateline(Locale::Ar, crate::store::from_millis(cx.edition.created)),
            intro: cx.edition.intro.clone(),
            items: MailView::items_from(&self.config.base_url, items),
            archive_url: self.url(&format!("/newsletters/{}", cx.newsletter.slug)),
            unsubscribe_url: self.url(&format!("/unsubscribe/{}", render::TOKEN_SLOT)),
            manage_url: self.url("/account/newsletters"),
        };
        render::render_shared(&view)
    }

    /// The mail of one ledger row.
    pub(super) async fn mail_for(
        &self,
        cx: &EditionMails,
        row: &DeliveryRow,
    ) -> anyhow::Result<lettre::Message> {
        let key = row.payload.clone();
        let cached = |cx: &EditionMails| {
            cx.parts
                .lock()
                .map_err(|_| anyhow::anyhow!("render cache poisoned"))
                .map(|p| p.get(&key).cloned())
        };
        let shared = match cached(cx)? {
            Some(s) => s,
            None => {
                self.prepare(cx, std::slice::from_ref(row)).await?;
                cached(cx)?.context("a rendered mail went missing")?
            }
        };
        let token = self.unsubscribe_token(row.subscription_pk);
        let parts = shared.for_token(&token);
        let unsubscribe_url = self.unsubscribe_url(row.subscription_pk);
        let id = message::message_id(cx.edition.pk, row.subscriber_pk, &cx.domain);
        message::build(
            &self.from,
            &message::Envelope {
                to: &row.email,
                subject: &cx.edition.subject,
                message_id: &id,
                list_id: &cx.list_id,
                unsubscribe_url: &unsubscribe_url,
            },
            &parts,
            self.dkim.as_deref(),
        )
    }

    /// Builds every mail of edition `edition_pk` as its senders would, page by page, and
    /// hands each to `each` without sending or recording anything (a preview of the
    /// edition; the benchmark's measure of rendering alone). Returns how many.
    pub async fn render_edition(
        &self,
        edition_pk: i64,
        mut each: impl FnMut(lettre::Message),
    ) -> anyhow::Result<u64> {
        let cx = self.edition_mails(edition_pk).await?;
        let (mut after, mut n) = (0, 0);
        loop {
            let rows = self.store.deliveries_page(edition_pk, after, 500).await?;
            let Some(last) = rows.last() else {
                return Ok(n);
            };
            after = last.pk;
            self.prepare(&cx, &rows).await?;
            for row in &rows {
                each(self.mail_for(&cx, row).await?);
                n += 1;
            }
        }
    }
}
