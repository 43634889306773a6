//! `sahifa source …` and `sahifa poll`: the command line of feed sources.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{SourceSpec, opml, parse_every};
use crate::app::AppState;

/// `sahifa source …`.
#[derive(Subcommand, Debug)]
pub enum SourceCommand {
    /// Add a feed source (RSS, Atom or JSON Feed), polled every interval.
    Add {
        name: String,
        url: String,
        /// Polling interval: 90s, 30m, 2h, 1d (adapted to how often the feed publishes).
        #[arg(long, default_value = "30m")]
        every: String,
        /// Section of the source's articles that carry none.
        #[arg(long)]
        section: Option<String>,
        /// Fetch each entry's web page and keep its main text instead of the feed's summary.
        #[arg(long)]
        full_content: bool,
    },
    /// List sources with their health.
    List {
        /// One JSON object per source and line.
        #[arg(long)]
        json: bool,
    },
    /// Remove a source and, unless --keep-articles, its articles.
    Remove {
        name: String,
        #[arg(long)]
        keep_articles: bool,
    },
    /// OPML import and export.
    #[command(subcommand)]
    Opml(OpmlCommand),
}

/// `sahifa source opml …`.
#[derive(Subcommand, Debug)]
pub enum OpmlCommand {
    /// Add the feeds of an OPML file (nested outlines become categories and sections).
    Import { file: PathBuf },
    /// Print every source as OPML on stdout.
    Export,
}

/// `sahifa poll`.
#[derive(Args, Debug)]
pub struct PollArgs {
    /// Poll every source now, due or not, then exit (conditional GETs still apply).
    #[arg(long)]
    pub once: bool,
}

/// Runs one `source` command.
pub async fn run(state: &AppState, cmd: SourceCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SourceCommand::Add {
            name,
            url,
            every,
            section,
            full_content,
        } => {
            let every = parse_every(&every)?;
            let spec = SourceSpec::parse(&name, &url, every, section.as_deref(), full_content)?;
            super::add(&state.store, &spec).await?;
            println!("added source {} ({})", spec.name, spec.url);
        }
        SourceCommand::List { json } => {
            for s in super::list(&state.store).await? {
                if json {
                    println!("{}", serde_json::to_string(&s)?);
                } else {
                    println!(
                        "{}\t{}\t{}\t{} articles\tnext {}{}",
                        s.name,
                        s.url,
                        s.last_status.as_deref().unwrap_or("never polled"),
                        s.articles,
                        s.next_check.format("%Y-%m-%d %H:%M"),
                        s.last_error
                            .as_deref()
                            .map(|e| format!("\t{e}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        SourceCommand::Remove {
            name,
            keep_articles,
        } => {
            let removed = super::remove(state, &name, keep_articles).await?;
            match removed {
                None => {
                    eprintln!("error: no source named {name:?}");
                    return Ok(ExitCode::FAILURE);
                }
                Some(n) => println!("removed source {name}, {n} articles removed"),
            }
        }
        SourceCommand::Opml(OpmlCommand::Import { file }) => {
            let text = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let text = crate::ingest::charset::decode(&text, None);
            let name = file.display().to_string();
            let outlines = opml::parse(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            let (mut added, mut existing, mut rejected) = (0, 0, 0);
            for outline in outlines {
                match outline {
                    Err(e) => {
                        eprintln!("{name}: {e}");
                        rejected += 1;
                    }
                    Ok(spec) => match super::add(&state.store, &spec).await {
                        Ok(()) => added += 1,
                        Err(e) if e.downcast_ref::<super::SourceError>().is_some() => {
                            existing += 1;
                        }
                        Err(e) => return Err(e),
                    },
                }
            }
            println!("added {added}, existing {existing}, rejected {rejected}");
            return Ok(if rejected == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        SourceCommand::Opml(OpmlCommand::Export) => {
            let sources = super::list(&state.store).await?;
            print!("{}", opml::export(&sources).map_err(anyhow::Error::msg)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `sahifa poll`: with `--once`, every source now, then exit; without, the due sources as
/// poll jobs every few seconds until Ctrl-C or SIGTERM.
pub async fn poll(state: &AppState, args: PollArgs) -> anyhow::Result<ExitCode> {
    let poller = crate::ingest::poll::Poller::from_state(state);
    if args.once {
        let report = poller.poll_due(chrono::Utc::now(), true).await?;
        for p in &report.sources {
            match &p.error {
                None => println!("{}: {}, imported {}", p.name, p.status, p.imported),
                Some(e) if e.starts_with(&p.status) => println!("{}: {e}", p.name),
                Some(e) => println!("{}: {}: {e}", p.name, p.status),
            }
        }
        println!("{report}");
        return Ok(ExitCode::SUCCESS);
    }
    // Without `--once`: the poll jobs only, run here until Ctrl-C or SIGTERM, with a
    // scheduler of their own (elected among `sahifa poll` processes; the site's enqueues
    // the same periodic job under the same key, so a period is polled once).
    let shutdown = crate::jobs::Shutdown::on_signals();
    let registry = std::sync::Arc::new(crate::ingest::poll::jobs::registry(&state.config));
    let scheduler = crate::jobs::Scheduler::named(
        state.store.clone(),
        state.jobs.clone(),
        registry.clone(),
        "scheduler-polls",
    );
    let settings = crate::jobs::QueueSettings::from_config(&state.config);
    let runner = crate::jobs::Runner::new(state.jobs.clone(), registry, state.clone(), settings);
    let handle = runner.spawn_with(scheduler, &shutdown);
    shutdown.wait().await;
    handle.stopped().await;
    Ok(ExitCode::SUCCESS)
}
