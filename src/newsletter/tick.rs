//! The scheduler tick (a periodic job): for each scheduled newsletter and each time zone its
//! subscribers live in, once the zone's local send time has come, make the period's edition
//! (once, shared by every zone; skipped when too thin) and queue that zone's recipients.
//! Running it twice, or on two nodes, queues no one twice (the ledger's UNIQUE key).

use chrono_tz::Tz;

use super::{Kind, Newsletter, Newsletters, Schedule, parse_time_zone};

/// What one tick did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickReport {
    /// Editions that got new recipients: (edition key, rows added).
    pub queued: Vec<(i64, u64)>,
    /// Editions made and skipped as too thin: (newsletter slug, period).
    pub skipped: Vec<(String, String)>,
}

impl Newsletters {
    fn default_zone(&self) -> (Tz, String) {
        match parse_time_zone(&self.config.default_time_zone) {
            Some(tz) => (tz, tz.name().to_string()),
            None => (chrono_tz::UTC, "UTC".to_string()),
        }
    }

    /// Runs the schedules at the service's clock time.
    pub async fn tick(&self) -> anyhow::Result<TickReport> {
        let mut report = TickReport::default();
        for n in self.list().await? {
            if n.schedule == Schedule::None || matches!(n.kind, Kind::Manual | Kind::Breaking) {
                continue;
            }
            self.tick_newsletter(&n, &mut report).await?;
        }
        Ok(report)
    }

    async fn tick_newsletter(&self, n: &Newsletter, report: &mut TickReport) -> anyhow::Result<()> {
        let now = self.now();
        let (default_tz, default_name) = self.default_zone();
        let mut zones: Vec<(Tz, String)> = Vec::new();
        for z in self.store.subscriber_time_zones(n.pk).await? {
            let zone = match z.as_deref().and_then(parse_time_zone) {
                Some(tz) => (tz, z.unwrap_or_default()),
                None => (default_tz, default_name.clone()),
            };
            if !zones.iter().any(|(_, name)| *name == zone.1) {
                zones.push(zone);
            }
        }
        for (tz, name) in zones {
            let Some(due) = n.schedule.due(now, tz) else {
                continue;
            };
            let edition = match self.store.edition_for_period(n.pk, &due.period).await? {
                Some(e) => e,
                None => {
                    let draft = if n.kind == Kind::Digest {
                        super::compose::Draft::of(n, "", Vec::new())
                    } else {
                        self.compose(n).await?
                    };
                    let thin = n.kind != Kind::Digest && Self::is_thin(n, &draft);
                    let state = if thin { "skipped" } else { "sending" };
                    let e = self.store_edition(n, &due.period, &draft, state).await?;
                    if thin {
                        tracing::info!(newsletter = %n.slug, period = %due.period, items = draft.items.len(), "edition too thin; skipped");
                        report.skipped.push((n.slug.clone(), due.period.clone()));
                    }
                    e
                }
            };
            if edition.state == "skipped" {
                continue;
            }
            let at = due.at.timestamp_millis();
            let filter = Some((name.as_str(), default_name.as_str()));
            let added = if n.kind == Kind::Digest {
                self.queue_digests(n, &edition, filter, at).await?
            } else {
                self.store
                    .deliveries_fan_out(edition.pk, n.pk, filter, at, self.now_ms())
                    .await?
            };
            if added > 0 {
                self.edition_queued(edition.pk).await?;
                report.queued.push((edition.pk, added));
            }
        }
        Ok(())
    }
}
