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
