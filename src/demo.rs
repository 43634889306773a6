//! Demo content that ships in the repository: the scraped fixture article and a set of short
//! Arabic articles written for this project across all six sections.

use crate::ingest::{ImportReport, Incoming, jsonl, raw_text};
use crate::newsroom::Newsroom;

const FIXTURE: &str = include_str!("../tests/fixtures/asharq-libya-article.txt");
const ARTICLES: &str = include_str!("../demo/articles.jsonl");

/// Source name of the demo fixture article.
pub const FIXTURE_SOURCE: &str = "asharq-alawsat";

/// Loads the demo set through the newsroom; running it again stores nothing twice.
pub async fn load(newsroom: &Newsroom) -> anyhow::Result<ImportReport> {
    let raw = raw_text::parse(FIXTURE, &Default::default())
        .map_err(|e| anyhow::anyhow!("demo fixture: {e}"))?;
    let fixture = Incoming {
        id: Some("libya-benghazi-haftar".into()),
        title: Some(raw.title),
        subtitle: raw.subtitle,
        body: raw.body.join("\n"),
        category: Some("middleEast".into()),
        ..Incoming::default()
    };
    let mut records = vec![fixture];
    for (i, line) in ARTICLES
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let rec = jsonl::parse_record(line.as_bytes())
            .map_err(|e| anyhow::anyhow!("demo/articles.jsonl:{}: {e}", i + 1))?;
        records.push(rec);
    }
    newsroom
        .ingest_records(records, FIXTURE_SOURCE, "demo")
        .await
}

/// The demo member's address; the account exists only in folders started with `--demo`.
pub const MEMBER_EMAIL: &str = "reader@demo.sahifa";
/// The demo member's password (demo data only; documented in the README).
pub const MEMBER_PASSWORD: &str = "sahifa-demo";

/// Creates the demo member (once) with a few follows and a saved article, so that
/// `/for-you` and `/saved` show something on first sign-in. Parts that cannot be set up are
/// logged and skipped: the demo still serves.
pub async fn member(state: &crate::app::AppState) -> anyhow::Result<()> {
    use crate::accounts::Role;
    use crate::reader::FollowKind;
    let user = match state.accounts.user_by_email(MEMBER_EMAIL).await {
        Ok(Some(u)) => u,
        _ => state
            .accounts
            .add_user(MEMBER_EMAIL, MEMBER_PASSWORD, Role::Reader, true)
            .await
            .map_err(|e| anyhow::anyhow!("demo member: {e}"))?,
    };
    let follows = [
        (FollowKind::Section, "middleEast".to_string()),
        (FollowKind::Tag, crate::model::tag_slug("ليبيا")),
        (FollowKind::Source, FIXTURE_SOURCE.to_string()),
    ];
    for (kind, value) in follows {
        if let Err(e) = state.reader.follow(user.pk, kind, &value).await {
            tracing::warn!(error = %e, value, "demo member: follow skipped");
        }
    }
    let saved = crate::reader::saved::save(
        &state.store,
        user.pk,
        FIXTURE_SOURCE,
        "libya-benghazi-haftar",
        Some("مثال على ملاحظة خاصة".into()),
    )
    .await;
    if let Err(e) = saved {
        tracing::warn!(error = %e, "demo member: saved article skipped");
    }
    Ok(())
}

/// The demo's newsletter: a daily brief the demo member receives, with one edition already
/// sent, so `/newsletters/demo-brief` and `/account/newsletters` show an archive on first
/// sign-in. Made once; a folder that has it is left alone.
pub async fn newsletter(state: &crate::app::AppState) -> anyhow::Result<()> {
    const SLUG: &str = "demo-brief";
    let nl = &state.newsletters;
    if nl.by_slug(SLUG).await?.is_some() {
        return Ok(());
    }
    let n = nl
        .add(
            SLUG,
            "الموجز اليومي",
            "brief",
            None,
            Some("daily 07:00"),
            "أهم أخبار اليوم في رسالة واحدة كل صباح.",
            Some(1),
        )
        .await?;
    let Some(user) = state.accounts.user_by_email(MEMBER_EMAIL).await? else {
        anyhow::bail!("demo newsletter: the demo member is missing");
    };
    nl.member_subscribe(&user, SLUG).await?;
    let (edition, recipients) = nl.send_now(&n).await?;
    tracing::info!(
        edition = edition.pk,
        recipients,
        "demo newsletter edition queued"
    );
    Ok(())
}
