//! The command line: `serve`, `worker`, `jobs`, `import`, `search`, `reindex`, `migrate`, `user`, `train`,
//! `classify`, `eval`. Each command builds the state it needs and calls the use-cases.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::AppState;
use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "sahifa",
    version,
    about = "Arabic-first news platform / منصة أخبار عربية"
)]
pub struct Cli {
    /// Data folder (SQLite file, search index, local mail).
    #[arg(long, global = true, env = "SAHIFA_DATA")]
    pub data: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…); overrides the data folder's SQLite file.
    #[arg(long, global = true, env = "SAHIFA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Configuration file (TOML); default: <data>/sahifa.toml when present.
    #[arg(long, global = true, env = "SAHIFA_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Import articles from .txt, .html, .jsonl, .jsonl.gz and feed (.xml, .rss, .atom, .json) files.
    Import(ImportArgs),
    /// Search articles.
    Search(SearchArgs),
    /// Rebuild the search index from the store.
    Reindex,
    /// Remove articles of a source (all of them without ids): they leave pages, API
    /// (410 Gone) and search; members' saved copies stay.
    Remove(crate::reader::cli::RemoveArgs),
    /// Pin a published article at the top of every member's For-you feed for some hours
    /// (`--remove` takes the pin off).
    Pin(crate::reader::cli::PinArgs),
    /// Run the section classifier and the tagger again over stored articles (after an
    /// upgrade); sections from a source and labels an editor set are kept.
    Retag,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Train models.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Classify the records of a JSON Lines file into sections.
    Classify(ClassifyArgs),
    /// Measure quality.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Manage feed sources (RSS, Atom, JSON Feed) and OPML.
    #[command(subcommand)]
    Source(crate::ingest::sources::cli::SourceCommand),
    /// Poll the feed sources that are due (`--once`: every source now, then exit).
    Poll(crate::ingest::sources::cli::PollArgs),
    /// Manage newsletters and send editions.
    #[command(subcommand)]
    Newsletter(crate::newsletter::cli::NewsletterCommand),
    /// Import newsletter subscribers.
    #[command(subcommand)]
    Subscribers(crate::newsletter::cli::SubscribersCommand),
    /// Delivery figures of newsletter editions.
    #[command(subcommand)]
    Edition(crate::newsletter::cli::EditionCommand),
    /// Stories: near-duplicate articles grouped as one.
    #[command(subcommand)]
    Stories(StoriesCommand),
    /// Run background jobs (mail, polls, sends, upkeep) until SIGTERM.
    Worker,
    /// Show the job queue: counts per kind and state, and the last errors.
    Jobs {
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SAHIFA_ADDR")]
    pub addr: Option<String>,
    /// Load the demo articles first (nothing is added twice).
    #[arg(long)]
    pub demo: bool,
    /// Leave background jobs to `sahifa worker` (also `SAHIFA_JOBS=false`).
    #[arg(long)]
    pub no_jobs: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Source name for records that carry none.
    #[arg(long, default_value = "local")]
    pub source: String,
    /// Files to import.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// One JSON object per hit and line.
    #[arg(long)]
    pub json: bool,
    /// Number of hits.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// The query.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account; the password is read from stdin (or a prompt on a terminal).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "reader")]
        role: String,
        /// Mark the e-mail address as verified.
        #[arg(long)]
        verified: bool,
    },
    /// List accounts.
    List,
}

#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// Train the section classifier on a JSON Lines file with `category`.
    Sections {
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/sections.bin")]
        out: PathBuf,
        /// Also print 5-fold cross-validation accuracy and macro-F1.
        #[arg(long)]
        cv: bool,
    },
}

#[derive(Args, Debug)]
pub struct ClassifyArgs {
    #[arg(long)]
    pub json: bool,
    pub file: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum StoriesCommand {
    /// Group every stored article into stories again (articles stored before stories
    /// existed; new writes are grouped as they are stored).
    Regroup,
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Story grouping: pair precision and recall on copies built from a corpus and on
    /// distinct articles on one subject.
    Stories {
        #[arg(long, default_value = crate::stories::cli::DEFAULT_CORPUS)]
        data: PathBuf,
        /// Copies built (kinds in turn); as many distinct pairs again, twice.
        #[arg(long, default_value_t = 600)]
        copies: usize,
        #[arg(long, default_value_t = 15)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Search quality on question/passage files (arabic-qa format).
    Search {
        #[arg(long)]
        passages: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        /// Print only the JSON summary.
        #[arg(long)]
        json: bool,
    },
    /// Section classifier accuracy against the records' own `category`.
    Sections { file: PathBuf },
    /// For-you quality: simulated readers with hidden interests (precision@10, nDCG@10
    /// beside recency and popularity).
    Foryou {
        /// A labelled JSON Lines corpus, imported without its categories.
        #[arg(long, default_value = crate::reader::eval::DEFAULT_CORPUS)]
        data: PathBuf,
        /// Readers per interest model.
        #[arg(long, default_value_t = 30)]
        readers: usize,
        #[arg(long, default_value_t = 12)]
        seed: u64,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the configuration with the command line's overrides.
pub fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let mut cfg = Config::load(cli.config.as_deref(), std::env::vars())?;
    if let Some(d) = &cli.data {
        cfg.data_dir = d.clone();
    }
    if let Some(u) = &cli.database_url {
        cfg.database_url = u.clone();
    }
    Ok(cfg)
}

/// Whether `addr` (host:port) listens on a loopback address only.
fn demo_on_loopback(addr: &str) -> bool {
    addr.parse::<std::net::SocketAddr>()
        .map(|a| a.ip().is_loopback())
        .unwrap_or_else(|_| addr.starts_with("localhost:"))
}

/// Runs one command.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut config = load_config(&cli)?;
    crate::telemetry::init(&config.log_format);
    match cli.command {
        Command::Serve(args) => {
            if let Some(addr) = args.addr {
                config.addr = addr;
            }
            if args.demo && demo_on_loopback(&config.addr) && config.secure_cookies {
                // The demo is opened at http://127.0.0.1:8080: a browser may keep no Secure
                // cookie from plain HTTP there, and the demo member could not sign in.
                tracing::info!("demo on a loopback address: cookies without Secure");
                config.secure_cookies = false;
            }
            let state = AppState::build(config).await?;
            if args.demo {
                let report = crate::demo::load(&state.newsroom).await?;
                tracing::info!(%report, "demo content");
                crate::demo::member(&state).await?;
                if let Err(e) = crate::demo::newsletter(&state).await {
                    tracing::warn!(error = %format!("{e:#}"), "demo newsletter skipped");
                }
                tracing::info!(
                    email = crate::demo::MEMBER_EMAIL,
                    password = crate::demo::MEMBER_PASSWORD,
                    "demo member"
                );
            }
            crate::jobs::cli::serve(state, args.no_jobs).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(args) => {
            let state = AppState::build(config).await?;
            let report = state
                .newsroom
                .import_paths(&args.files, &args.source, true)
                .await?;
            println!("{report}");
            Ok(if report.rejected() == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Migrate => {
            let state = AppState::build(config).await?;
            let applied = state.store.applied_migrations().await?;
            println!(
                "database at migration {}",
                applied.last().copied().unwrap_or(0)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Train(TrainCommand::Sections { data, out, cv }) => {
            crate::understand::commands::train_sections(&data, &out, cv)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Classify(args) => {
            let u = crate::understand::Understanding::load_default()?;
            crate::understand::commands::classify_file(&u, &args.file, args.json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Foryou {
            data,
            readers,
            seed,
            json,
        }) => {
            crate::reader::eval::run(&data, readers, seed, json).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Stories {
            data,
            copies,
            seed,
            json,
        }) => {
            crate::stories::cli::eval(&data, copies, seed, json).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Stories(StoriesCommand::Regroup) => {
            crate::stories::cli::regroup(&AppState::build(config).await?).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Sections { file }) => {
            let u = crate::understand::Understanding::load_default()?;
            crate::understand::commands::eval_sections(&u, &file)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => {
            let state = AppState::build(config).await?;
            crate::accounts::command::run(&state.accounts, cmd).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search(args) => {
            let state = AppState::build(config).await?;
            crate::search::cli::search(&state, &args.query.join(" "), args.limit, args.json)
                .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex => {
            let state = AppState::build(config).await?;
            crate::search::cli::reindex(&state).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Remove(args) => crate::reader::cli::remove(config, args).await,
        Command::Pin(args) => crate::reader::cli::pin(config, args).await,
        Command::Retag => {
            let state = AppState::build(config).await?;
            println!("{}", state.newsroom.retag().await?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Source(cmd) => {
            crate::ingest::sources::cli::run(&AppState::build(config).await?, cmd).await
        }
        Command::Poll(args) => {
            crate::ingest::sources::cli::poll(&AppState::build(config).await?, args).await
        }
        Command::Newsletter(cmd) => {
            let state = AppState::build(config).await?;
            crate::newsletter::cli::newsletter(&state.newsletters, cmd).await
        }
        Command::Subscribers(cmd) => {
            let state = AppState::build(config).await?;
            crate::newsletter::cli::subscribers(&state.newsletters, cmd).await
        }
        Command::Edition(cmd) => {
            let state = AppState::build(config).await?;
            crate::newsletter::cli::edition(&state.newsletters, cmd).await
        }
        Command::Worker => {
            crate::jobs::cli::worker(AppState::build(config).await?).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Jobs { json } => {
            crate::jobs::cli::status(&AppState::build(config).await?, json).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(EvalCommand::Search {
            passages,
            queries,
            json,
        }) => {
            crate::search::cli::eval(&passages, &queries, json).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
