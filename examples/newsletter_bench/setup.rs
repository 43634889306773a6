//! Setting up the benchmark's data with plain SQL (not timed): members with follows,
//! visitors, reading signals; and the process's memory as /proc tells it.

use sahifa::store::Store;

pub async fn exec(store: &Store, sql: String) -> anyhow::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Peak and current resident memory of this process so far (MiB), from /proc.
pub fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    format!(
        "peak {:.0} MiB, now {:.0} MiB",
        field("VmHWM:"),
        field("VmRSS:")
    )
}

/// Gives every `every`-th member ten "open" signals on articles of the corpus, so that
/// their digests are their own (not shared with members of the same follows).
pub async fn add_signals(store: &Store, n: usize, every: usize) -> anyhow::Result<()> {
    let picks: Vec<(String, String)> =
        sqlx::query_as("SELECT source, ext_id FROM articles ORDER BY pk LIMIT 5000")
            .fetch_all(store.pool())
            .await?;
    if every == 0 || picks.is_empty() {
        return Ok(());
    }
    let quote = |s: &str| s.replace('\'', "''");
    let now = chrono::Utc::now().timestamp_millis();
    let members: Vec<usize> = (0..n).step_by(every).collect();
    for chunk in members.chunks(100) {
        let mut values = Vec::new();
        for &i in chunk {
            for j in 0..10 {
                let (source, id) = &picks[(i * 7 + j * 131) % picks.len()];
                values.push(format!(
                    "((SELECT pk FROM users WHERE uid = 'u_bench{i}'), 'open', '{}', '{}', {})",
                    quote(source),
                    quote(id),
                    now - (j as i64) * 3_600_000
                ));
            }
        }
        exec(
            store,
            format!(
                "INSERT INTO signals (user_pk, kind, source, ext_id, at) VALUES {}",
                values.join(",")
            ),
        )
        .await?;
    }
    Ok(())
}

/// Adds `n` verified members with follows and a subscription to newsletter `nl_pk`, or
/// `n` visitor addresses when `members` is false (500 rows per statement).
pub async fn populate(store: &Store, nl_pk: i64, n: usize, members: bool) -> anyhow::Result<()> {
    let tags: Vec<(String,)> = sqlx::query_as(
        "SELECT t.slug FROM article_tags x JOIN tags t ON t.pk = x.tag_pk \
         GROUP BY t.slug ORDER BY COUNT(*) DESC LIMIT 40",
    )
    .fetch_all(store.pool())
    .await
    .unwrap_or_default();
    let sections = [
        "middleEast",
        "internationalNews",
        "economy",
        "sport",
        "culture",
        "technology",
    ];
    let now = chrono::Utc::now().timestamp_millis();
    for start in (0..n).step_by(500) {
        let end = (start + 500).min(n);
        let ids: Vec<usize> = (start..end).collect();
        if members {
            let users = ids
                .iter()
                .map(|i| format!("('u_bench{i}', 'm{i}@bench.test', 'ar', {now}, {now})"))
                .collect::<Vec<_>>()
                .join(",");
            exec(
                store,
                format!(
                    "INSERT INTO users (uid, email, locale, verified_at, created) VALUES {users}"
                ),
            )
            .await?;
            let mut follows = Vec::new();
            for i in &ids {
                let pk = format!("(SELECT pk FROM users WHERE uid = 'u_bench{i}')");
                follows.push(format!(
                    "({pk}, 'section', '{}', {now})",
                    sections[i % sections.len()]
                ));
                if !tags.is_empty() {
                    follows.push(format!(
                        "({pk}, 'tag', '{}', {now})",
                        tags[i % tags.len()].0
                    ));
                    if i % 3 == 0 {
                        follows.push(format!(
                            "({pk}, 'tag', '{}', {now})",
                            tags[(i / 3 + 7) % tags.len()].0
                        ));
                    }
                }
            }
            exec(
                store,
                format!(
                    "INSERT INTO follows (user_pk, kind, value, created) VALUES {}",
                    follows.join(",")
                ),
            )
            .await?;
            exec(
                store,
                format!(
                    "INSERT INTO subscribers (user_pk, created) SELECT pk, {now} FROM users \
                 WHERE uid IN ({})",
                    ids.iter()
                        .map(|i| format!("'u_bench{i}'"))
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            )
            .await?;
        } else {
            let subs = ids
                .iter()
                .map(|i| format!("('v{i}@bench.test', {now})"))
                .collect::<Vec<_>>()
                .join(",");
            exec(
                store,
                format!("INSERT INTO subscribers (email, created) VALUES {subs}"),
            )
            .await?;
        }
    }
    exec(
        store,
        format!(
            "INSERT INTO subscriptions (newsletter_pk, subscriber_pk, state, created) \
             SELECT {nl_pk}, pk, 'active', {now} FROM subscribers"
        ),
    )
    .await
}
