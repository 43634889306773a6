//! The newsletter commands: `newsletter add|list|send`, `subscribers import`,
//! `edition status`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use serde::Serialize;

use super::{Kind, Newsletter, Newsletters, Schedule};
use crate::model::Section;
use crate::store::NewNewsletter;

/// `sahifa newsletter …`
#[derive(Subcommand, Debug)]
pub enum NewsletterCommand {
    /// Add a newsletter.
    Add {
        /// URL name: lower-case letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Name shown to readers.
        #[arg(long)]
        name: String,
        /// brief | breaking | section | digest | manual.
        #[arg(long)]
        kind: String,
        /// The section of a `section` newsletter (slug or Arabic name).
        #[arg(long)]
        section: Option<String>,
        /// "daily 07:00" or "weekly friday 07:00", in each reader's time zone; brief and
        /// section default to daily 07:00, digest to weekly friday 07:00.
        #[arg(long)]
        schedule: Option<String>,
        /// One line shown on the subscription pages.
        #[arg(long, default_value = "")]
        description: String,
        /// Fewer stories than this and a scheduled edition is skipped.
        #[arg(long)]
        min_items: Option<usize>,
    },
    /// List newsletters.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Compose an edition now and queue it to every subscriber.
    Send { slug: String },
}

/// `sahifa subscribers …`
#[derive(Subcommand, Debug)]
pub enum SubscribersCommand {
    /// Add confirmed subscribers from a Listmonk or Ghost CSV export (columns email,
    /// optional name and time_zone).
    Import { slug: String, file: PathBuf },
}

/// `sahifa edition …`
#[derive(Subcommand, Debug)]
pub enum EditionCommand {
    /// Delivery figures of one edition.
    Status {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

/// A newsletter as `newsletter list --json` and the API show it.
#[derive(Debug, Serialize)]
pub struct Listed {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: &'static str,
    pub section: Option<&'static str>,
    pub schedule: String,
    pub subscribers: i64,
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Newsletters {
    /// Adds a newsletter after checking its fields; the error names the bad one.
    #[expect(clippy::too_many_arguments, reason = "one argument per CLI option")]
    pub async fn add(
        &self,
        slug: &str,
        name: &str,
        kind: &str,
        section: Option<&str>,
        schedule: Option<&str>,
        description: &str,
        min_items: Option<usize>,
    ) -> anyhow::Result<Newsletter> {
        if !valid_slug(slug) {
            bail!("--slug {slug:?}: use lower-case letters, digits and hyphens");
        }
        if name.trim().is_empty() {
            bail!("--name must not be empty");
        }
        let kind = Kind::parse(kind).with_context(|| {
            format!("--kind {kind:?}: expected brief, breaking, section, digest or manual")
        })?;
        let section = match (kind, section) {
            (_, Some(s)) => Some(
                Section::parse(s)
                    .with_context(|| format!("--section {s:?} is not a section"))?
                    .slug(),
            ),
            (Kind::Section, None) => bail!("a section newsletter needs --section"),
            _ => None,
        };
        let schedule = match (schedule, kind) {
            (Some(s), _) => Schedule::parse(s).map_err(|e| anyhow::anyhow!("--schedule {e}"))?,
            (None, Kind::Brief | Kind::Section) => {
                Schedule::parse("daily 07:00").map_err(anyhow::Error::msg)?
            }
            (None, Kind::Digest) => {
                Schedule::parse("weekly friday 07:00").map_err(anyhow::Error::msg)?
            }
            (None, _) => Schedule::None,
        };
        let min = min_items.unwrap_or(match kind {
            Kind::Breaking | Kind::Manual => 1,
            _ => 3,
        });
        let stored = schedule.as_string();
        self.store
            .newsletter_insert(
                &NewNewsletter {
                    slug,
                    name: name.trim(),
                    description: description.trim(),
                    kind: kind.as_str(),
                    section,
                    schedule: &stored,
                    min_items: i64::try_from(min).unwrap_or(1),
                },
                self.now_ms(),
            )
            .await?
            .with_context(|| format!("a newsletter with slug {slug:?} exists already"))?;
        self.by_slug(slug)
            .await?
            .context("the newsletter just added is missing")
    }

    /// Newsletters with their subscriber counts.
    pub async fn listed(&self) -> anyhow::Result<Vec<Listed>> {
        let counts: std::collections::HashMap<i64, i64> =
            self.store.subscriber_counts().await?.into_iter().collect();
        Ok(self
            .list()
            .await?
            .into_iter()
            .map(|n| Listed {
                subscribers: counts.get(&n.pk).copied().unwrap_or(0),
                slug: n.slug,
                name: n.name,
                description: n.description,
                kind: n.kind.as_str(),
                section: n.section.map(Section::slug),
                schedule: n.schedule.as_string(),
            })
            .collect())
    }
}

/// Runs `newsletter …`.
pub async fn newsletter(nl: &Newsletters, cmd: NewsletterCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        NewsletterCommand::Add {
            slug,
            name,
            kind,
            section,
            schedule,
            description,
            min_items,
        } => {
            let n = nl
                .add(
                    &slug,
                    &name,
                    &kind,
                    section.as_deref(),
                    schedule.as_deref(),
                    &description,
                    min_items,
                )
                .await?;
            println!("added newsletter {} ({})", n.slug, n.kind.as_str());
        }
        NewsletterCommand::List { json } => {
            for l in nl.listed().await? {
                if json {
                    println!("{}", serde_json::to_string(&l)?);
                } else {
                    let schedule = if l.schedule.is_empty() {
                        "-"
                    } else {
                        &l.schedule
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{} subscribers",
                        l.slug, l.kind, schedule, l.name, l.subscribers
                    );
                }
            }
        }
        NewsletterCommand::Send { slug } => {
            let n = nl
                .by_slug(&slug)
                .await?
                .with_context(|| format!("no newsletter {slug:?}"))?;
            let (edition, recipients) = nl.send_now(&n).await?;
            println!("edition {}: {} recipients", edition.pk, recipients);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `subscribers …`.
pub async fn subscribers(nl: &Newsletters, cmd: SubscribersCommand) -> anyhow::Result<ExitCode> {
    let SubscribersCommand::Import { slug, file } = cmd;
    let report = nl.import_subscribers(&slug, &file).await?;
    for w in &report.warnings {
        eprintln!("{w}");
    }
    for r in &report.rejected {
        eprintln!("{r}");
    }
    println!("{report}");
    Ok(if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs `edition …`.
pub async fn edition(nl: &Newsletters, cmd: EditionCommand) -> anyhow::Result<ExitCode> {
    let EditionCommand::Status { id, json } = cmd;
    nl.store
        .edition(id)
        .await?
        .with_context(|| format!("no edition {id}"))?;
    let c = nl.store.delivery_counts(id).await?;
    if json {
        println!("{}", serde_json::to_string(&c)?);
    } else {
        println!(
            "edition {id}: {} recipients, {} queued, {} sent, {} failed, {} uncertain",
            c.recipients, c.queued, c.sent, c.failed, c.uncertain
        );
    }
    Ok(ExitCode::SUCCESS)
}
