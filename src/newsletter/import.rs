//! `sahifa subscribers import SLUG FILE.csv`: a list brought from Listmonk or Ghost (their
//! CSV exports; columns `email`, optional `name` and `time_zone`, any others ignored) becomes
//! confirmed subscribers, idempotently (someone who left is not brought back). A row without a valid address is rejected and named
//! by line; an unknown time zone costs a warning, not the row. Rows Listmonk marks
//! `blocklisted` or Ghost marks `subscribed_to_emails=false` are left out, with a warning.

use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};

use super::{Newsletters, parse_time_zone};
use crate::accounts::Email;

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportReport {
    pub imported: usize,
    pub unchanged: usize,
    /// `FILE:LINE: field: reason` for each rejected row.
    pub rejected: Vec<String>,
    /// `FILE:LINE: field: reason` for each row kept or skipped with a warning.
    pub warnings: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported {}, unchanged {}, rejected {}",
            self.imported,
            self.unchanged,
            self.rejected.len()
        )?;
        if !self.warnings.is_empty() {
            write!(f, ", warnings {}", self.warnings.len())?;
        }
        Ok(())
    }
}

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        names.iter().any(|n| h == *n)
    })
}

/// One row of a subscriber file that can become a subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriberRow {
    pub email: Email,
    pub name: Option<String>,
    /// An IANA time zone (unknown ones were dropped with a warning).
    pub time_zone: Option<String>,
}

/// Reads the rows of a subscriber CSV named `name` (in messages): the rows to import, in
/// order; rejected rows and warnings go to `report`. Fails only when the header row is
/// unreadable or has no `email` column.
pub fn read_rows<R: std::io::Read>(
    input: R,
    name: &str,
    report: &mut ImportReport,
) -> anyhow::Result<Vec<SubscriberRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .with_context(|| format!("{name}:1: reading the header row"))?
        .clone();
    let Some(email_col) = column(&headers, &["email", "e-mail", "email_address"]) else {
        bail!(
            "{name}:1: no `email` column (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let name_col = column(&headers, &["name"]);
    let tz_col = column(&headers, &["time_zone", "timezone", "tz"]);
    let status_col = column(&headers, &["status"]);
    let ghost_col = column(&headers, &["subscribed_to_emails", "subscribed"]);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report
                    .rejected
                    .push(format!("{name}:{line}: unreadable row: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
        let raw = get(Some(email_col)).unwrap_or("");
        let email = match Email::parse(raw) {
            Ok(e) => e,
            Err(e) => {
                report
                    .rejected
                    .push(format!("{name}:{line}: email: {e} ({raw:?})"));
                continue;
            }
        };
        let blocked = get(status_col).is_some_and(|s| s.eq_ignore_ascii_case("blocklisted"));
        let unsubscribed = get(ghost_col).is_some_and(|s| s.eq_ignore_ascii_case("false"));
        if blocked || unsubscribed {
            report.warnings.push(format!(
                "{name}:{line}: status: {email} did not want mail at the old service; left out"
            ));
            continue;
        }
        let time_zone = match get(tz_col) {
            Some(t) if parse_time_zone(t).is_some() => Some(t.to_string()),
            Some(t) => {
                report.warnings.push(format!(
                    "{name}:{line}: time_zone: {t:?} is not an IANA time zone; the site's default applies"
                ));
                None
            }
            None => None,
        };
        rows.push(SubscriberRow {
            email,
            name: get(name_col).map(String::from),
            time_zone,
        });
    }
    Ok(rows)
}

impl Newsletters {
    /// Imports the subscribers of `file` into newsletter `slug`.
    pub async fn import_subscribers(
        &self,
        slug: &str,
        file: &Path,
    ) -> anyhow::Result<ImportReport> {
        let n = self
            .by_slug(slug)
            .await?
            .with_context(|| format!("no newsletter {slug:?} (see `sahifa newsletter list`)"))?;
        let name = file.display().to_string();
        let input = std::fs::File::open(file).with_context(|| format!("opening {name}"))?;
        let mut report = ImportReport::default();
        let rows = read_rows(std::io::BufReader::new(input), &name, &mut report)?;
        for row in rows {
            let now = self.now_ms();
            let sub = match self.store.user_pk_by_email(row.email.as_str()).await? {
                Some(user_pk) => self.store.subscriber_for_user(user_pk, now).await?,
                None => {
                    self.store
                        .subscriber_for_email(
                            row.email.as_str(),
                            row.name.as_deref(),
                            row.time_zone.as_deref(),
                            now,
                        )
                        .await?
                        .0
                }
            };
            if self.store.subscription_import(n.pk, sub, now).await? {
                report.imported += 1;
            } else {
                report.unchanged += 1;
            }
        }
        Ok(report)
    }
}
