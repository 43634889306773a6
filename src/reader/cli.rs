//! `sahifa remove --source NAME [ID…]`.

use std::process::ExitCode;

use clap::Args;

use crate::app::AppState;
use crate::config::Config;

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// The source whose articles go.
    #[arg(long)]
    pub source: String,
    /// The source's ids of the articles to remove; none = every article of the source.
    pub ids: Vec<String>,
}

/// Runs `sahifa remove`: prints `removed N` (PRODUCT's contract) and, on stderr, how many
/// saved copies members keep; ids that are not stored are named on stderr and make the exit
/// status 1.
pub async fn remove(config: Config, args: RemoveArgs) -> anyhow::Result<ExitCode> {
    let state = AppState::build(config).await?;
    let report = super::remove::remove(&state.newsroom, &args.source, &args.ids).await?;
    for id in &report.missing {
        eprintln!("{}/{id}: no such article", args.source);
    }
    println!("{report}");
    if report.kept_copies > 0 {
        eprintln!(
            "kept {} saved copies of the removed articles (members still have them)",
            report.kept_copies
        );
    }
    Ok(if report.missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[derive(Args, Debug)]
pub struct PinArgs {
    /// The article's source.
    pub source: String,
    /// The article's id at its source.
    pub id: String,
    /// How long the pin lasts, in hours (at most a week).
    #[arg(long, default_value_t = crate::newsroom::DEFAULT_PIN_HOURS)]
    pub hours: i64,
    /// Take the pin off instead.
    #[arg(long)]
    pub remove: bool,
}

/// Runs `sahifa pin`: prints `pinned SOURCE/ID until TIME` or `unpinned SOURCE/ID`; a refusal
/// (no such article, not published, hours out of range) is named on stderr, exit status 1.
pub async fn pin(config: Config, args: PinArgs) -> anyhow::Result<ExitCode> {
    let state = AppState::build(config).await?;
    let key = format!("{}/{}", args.source, args.id);
    if args.remove {
        return Ok(if state.newsroom.unpin(&args.source, &args.id).await? {
            println!("unpinned {key}");
            ExitCode::SUCCESS
        } else {
            eprintln!("{key}: not pinned");
            ExitCode::FAILURE
        });
    }
    use crate::newsroom::{MAX_PIN_HOURS, PinRefusal};
    match state
        .newsroom
        .pin(&args.source, &args.id, args.hours, None)
        .await?
    {
        Ok(until) => {
            println!("pinned {key} until {}", until.format("%Y-%m-%dT%H:%M:%SZ"));
            Ok(ExitCode::SUCCESS)
        }
        Err(why) => {
            match why {
                PinRefusal::NoSuchArticle => eprintln!("{key}: no such article"),
                PinRefusal::NotPublished => {
                    eprintln!("{key}: not published (only a published article can be pinned)")
                }
                PinRefusal::BadHours => eprintln!(
                    "--hours {}: a pin lasts 1 to {MAX_PIN_HOURS} hours",
                    args.hours
                ),
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
