//! Composing editions: the newest stories for a brief or a section (leaving out what the
//! newsletter's recent editions already carried), one article for breaking news, an
//! editor's own edition; a draft with fewer items than the newsletter's minimum is too thin
//! and skipped. Queuing an edition writes one ledger row per recipient before any mail goes.

use std::collections::HashSet;

use anyhow::{Context, bail};

use super::{Item, Kind, Newsletter, Newsletters, render};
use crate::locale::{Locale, Tr};
use crate::model::Article;
use crate::store::{EditionRow, NewEdition};

/// Items a brief or section edition carries at most.
const MAX_ITEMS: usize = 8;
/// Recent editions whose items a new edition does not repeat.
const LOOK_BACK: i64 = 7;

/// An edition before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub subject: String,
    pub preheader: String,
    pub intro: String,
    pub items: Vec<Item>,
}

impl Draft {
    /// A draft of `items` for newsletter `n`: the subject names the lead story.
    pub fn of(n: &Newsletter, intro: &str, items: Vec<Item>) -> Draft {
        let subject = match items.first() {
            Some(first) if n.kind == Kind::Breaking => Tr::new(Locale::Ar)
                .arg("nl-breaking-subject", "title", &first.title)
                .into_owned(),
            Some(first) => format!("{}: {}", n.name, first.title),
            None => n.name.clone(),
        };
        Draft {
            subject: truncate(&subject, 150),
            preheader: render::preheader(&items),
            intro: intro.to_string(),
            items,
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// An article as an edition item.
pub fn item_of(a: &Article, reason: Option<String>) -> Item {
    Item {
        source: a.source.clone(),
        id: a.id.clone(),
        title: a.title.clone(),
        subtitle: a.subtitle.clone(),
        reason,
    }
}

/// The items stored with an edition.
pub fn edition_items(e: &EditionRow) -> Vec<Item> {
    serde_json::from_str(&e.items).unwrap_or_default()
}

impl Newsletters {
    /// The (source, id) of every item in the newsletter's recent editions.
    async fn recently_sent(&self, n: &Newsletter) -> anyhow::Result<HashSet<(String, String)>> {
        let recent = self.store.editions_of(n.pk, LOOK_BACK).await?;
        Ok(recent
            .iter()
            .flat_map(edition_items)
            .map(|i| (i.source, i.id))
            .collect())
    }

    /// The newest stories for a brief or a section newsletter, not repeating recent ones.
    pub async fn compose(&self, n: &Newsletter) -> anyhow::Result<Draft> {
        let seen = self.recently_sent(n).await?;
        let candidates = match (n.kind, n.section) {
            (Kind::Section, Some(section)) => self.store.latest_in_section(section, 60, 0).await?,
            (Kind::Section, None) => bail!("section newsletter {} names no section", n.slug),
            _ => self.store.latest(60, 0).await?,
        };
        let items = candidates
            .iter()
            .filter(|a| !seen.contains(&(a.source.clone(), a.id.clone())))
            .take(MAX_ITEMS)
            .map(|a| item_of(a, None))
            .collect();
        Ok(Draft::of(n, "", items))
    }

    /// Whether a draft has too little in it to be worth a mail.
    pub fn is_thin(n: &Newsletter, d: &Draft) -> bool {
        d.items.len() < n.min_items.max(1)
    }

    /// Stores a draft as an edition for `period`; the existing edition when another process
    /// made it first.
    pub async fn store_edition(
        &self,
        n: &Newsletter,
        period: &str,
        d: &Draft,
        state: &str,
    ) -> anyhow::Result<EditionRow> {
        let items = serde_json::to_string(&d.items).context("encoding edition items")?;
        self.store
            .edition_insert(
                &NewEdition {
                    newsletter_pk: n.pk,
                    period,
                    subject: &d.subject,
                    preheader: &d.preheader,
                    intro: &d.intro,
                    items: &items,
                    state,
                },
                self.now_ms(),
            )
            .await?;
        self.store
            .edition_for_period(n.pk, period)
            .await?
            .context("the edition just stored is missing")
    }

    /// Composes an edition of `n` now and queues it to every recipient (`newsletter send`).
    /// Returns the edition and how many recipients it has.
    pub async fn send_now(&self, n: &Newsletter) -> anyhow::Result<(EditionRow, u64)> {
        let draft = match n.kind {
            Kind::Digest => Draft::of(n, "", Vec::new()),
            Kind::Manual | Kind::Breaking => {
                bail!(
                    "a {} newsletter is sent from the desk (compose an edition there)",
                    n.kind.as_str()
                )
            }
            _ => self.compose(n).await?,
        };
        if n.kind != Kind::Digest && Self::is_thin(n, &draft) {
            bail!(
                "edition too thin: {} new stories, newsletter {} needs {}",
                draft.items.len(),
                n.slug,
                n.min_items
            );
        }
        let period = format!("send-{}", self.now().format("%Y%m%dT%H%M%S%.3f"));
        self.queue_draft(n, &period, &draft).await
    }

    /// Stores `draft` for `period` and queues it to every recipient at once.
    pub async fn queue_draft(
        &self,
        n: &Newsletter,
        period: &str,
        draft: &Draft,
    ) -> anyhow::Result<(EditionRow, u64)> {
        let edition = self.store_edition(n, period, draft, "sending").await?;
        let now = self.now_ms();
        let added = if n.kind == Kind::Digest {
            self.queue_digests(n, &edition, None, now).await?
        } else {
            self.store
                .deliveries_fan_out(edition.pk, n.pk, None, now, now)
                .await?
        };
        self.edition_queued(edition.pk).await?;
        Ok((edition, added))
    }

    /// An editor's own edition of a manual (or any) newsletter: a subject, an introduction
    /// and stored articles, queued at once.
    pub async fn send_composed(
        &self,
        n: &Newsletter,
        subject: &str,
        intro: &str,
        articles: &[(String, String)],
    ) -> anyhow::Result<(EditionRow, u64)> {
        let mut items = Vec::new();
        for (source, id) in articles {
            let a = self
                .store
                .article(source, id)
                .await?
                .with_context(|| format!("no article {source}/{id}"))?;
            items.push(item_of(&a, None));
        }
        if items.is_empty() && intro.trim().is_empty() {
            bail!("an edition needs an introduction or at least one article");
        }
        let mut draft = Draft::of(n, intro, items);
        if !subject.trim().is_empty() {
            draft.subject = truncate(subject.trim(), 150);
        }
        let period = format!("manual-{}", self.now().format("%Y%m%dT%H%M%S%.3f"));
        self.queue_draft(n, &period, &draft).await
    }

    /// Sends article (source, id) to every breaking-news newsletter; one edition each, at
    /// most once per article. Returns (slug, edition, recipients) per newsletter.
    pub async fn send_breaking(
        &self,
        source: &str,
        id: &str,
    ) -> anyhow::Result<Vec<(String, i64, u64)>> {
        let a = self
            .store
            .article(source, id)
            .await?
            .with_context(|| format!("no article {source}/{id}"))?;
        let mut out = Vec::new();
        for n in self.list().await? {
            if n.kind != Kind::Breaking {
                continue;
            }
            let period = format!("article-{source}/{id}");
            if self
                .store
                .edition_for_period(n.pk, &period)
                .await?
                .is_some()
            {
                continue;
            }
            let draft = Draft::of(&n, "", vec![item_of(&a, None)]);
            let (e, added) = self.queue_draft(&n, &period, &draft).await?;
            out.push((n.slug.clone(), e.pk, added));
        }
        Ok(out)
    }
}
