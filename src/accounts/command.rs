//! `sahifa user add` and `sahifa user list`.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};

use super::{Accounts, Role};
use crate::cli::UserCommand;

/// Runs one `user` subcommand; output goes to stdout.
pub async fn run(accounts: &Accounts, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            role,
            verified,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!("option --role: {role:?} is not one of reader, editor, admin")
            })?;
            let password = read_password()?;
            let user = accounts
                .add_user(&email, &password, role, verified)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "added {} ({}, {}{})",
                user.email,
                user.uid,
                user.role.as_str(),
                if user.verified { ", verified" } else { "" }
            );
        }
        UserCommand::List => {
            let users = accounts
                .list_users()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for u in users {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    u.uid,
                    u.email,
                    u.role.as_str(),
                    if u.verified { "verified" } else { "unverified" },
                    u.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                );
            }
        }
    }
    Ok(())
}

/// The first line of stdin (a prompt is shown on a terminal), without its line ending.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let pw = line.trim_end_matches(['\n', '\r']).to_string();
    if pw.is_empty() {
        bail!("no password on stdin: pipe it in, e.g. `echo \"$PASS\" | sahifa user add …`");
    }
    Ok(pw)
}
