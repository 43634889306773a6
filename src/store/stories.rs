//! Stories in the database: grouping inside the article write transaction (an article's
//! LSH bands and its story membership are written with it, and taken away with it), and
//! the reads of `/stories/{id}`, `GET /api/v1/stories` and the article's story link.
//!
//! Every article belongs to exactly one story (most to a story of their own); a story's
//! size counts its published articles, and only a story of two or more is shown.

use sqlx::AnyConnection;

use super::Store;
use crate::stories::{self, MAX_CANDIDATES, WINDOW_MS};

/// Rows read per band when looking for candidates.
const PER_BAND: i64 = 16;

/// An article to group, as the write stored it.
pub(super) struct Member {
    pub pk: i64,
    pub at: i64,
    pub shingles: Vec<u64>,
    /// Inserted by this write (so it has no bands nor story yet).
    pub fresh: bool,
}

impl Member {
    pub fn of(pk: i64, a: &crate::model::Article, fresh: bool) -> Member {
        Member {
            pk,
            at: super::to_millis(a.sort_time()),
            shingles: stories::shingles(&a.title, a.subtitle.as_deref(), &a.body.join("\n")),
            fresh,
        }
    }
}

/// Groups `members` (in order: a copy later in the same write finds an earlier one).
pub(super) async fn group(conn: &mut AnyConnection, members: &[Member]) -> anyhow::Result<()> {
    for m in members {
        if !m.fresh {
            leave(conn, m.pk).await?;
        }
        let bands = stories::bands(&m.shingles);
        let found = best_candidate(conn, m, &bands).await?;
        let joined = match found {
            Some(story) => story,
            None => {
                let (pk,): (i64,) = sqlx::query_as(
                    "INSERT INTO stories (title, first_at, last_at) \
                     SELECT title, $1, $1 FROM articles WHERE pk = $2 RETURNING pk",
                )
                .bind(m.at)
                .bind(m.pk)
                .fetch_one(&mut *conn)
                .await?;
                pk
            }
        };
        sqlx::query("INSERT INTO story_articles (article_pk, story_pk, at) VALUES ($1, $2, $3)")
            .bind(m.pk)
            .bind(joined)
            .bind(m.at)
            .execute(&mut *conn)
            .await?;
        if !bands.is_empty() {
            let values = (0..bands.len())
                .map(|i| format!("(${}, $1, $2)", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO story_bands (band, article_pk, at) VALUES {values} \
                 ON CONFLICT DO NOTHING"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m.pk).bind(m.at);
            for b in &bands {
                q = q.bind(*b);
            }
            q.execute(&mut *conn).await?;
        }
        if found.is_some() {
            // A story of its own has its title and times from the insert.
            repair(conn, joined).await?;
        }
    }
    Ok(())
}

/// The story of the most similar earlier article that shares a band, lies within the
/// window, belongs to a story that would stay within the window, and passes the exact check.
async fn best_candidate(
    conn: &mut AnyConnection,
    m: &Member,
    bands: &[i64],
) -> anyhow::Result<Option<i64>> {
    if bands.is_empty() {
        return Ok(None);
    }
    // Each band's newest rows only: a story carried by thousands of copies makes its bands
    // hot, and counting every row sharing them cost a second per article.
    let per_band = (0..bands.len())
        .map(|i| {
            format!(
                "SELECT article_pk FROM (SELECT article_pk FROM story_bands WHERE band = ${} \
                 AND at >= $1 AND at <= $2 AND article_pk <> $3 \
                 ORDER BY at DESC LIMIT {PER_BAND}) b{i}",
                i + 4
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    // Only articles whose story would still span at most the window with this article in:
    // each new member moves the window, and without this bound a daily bulletin whose every
    // issue is a near-copy of the day before chained twelve days into one story. Bounded
    // here, before the best few are taken, so stories out of reach do not crowd out one in it.
    let sql = format!(
        "SELECT c.article_pk, COUNT(*) FROM ({per_band}) c \
         JOIN story_articles sa ON sa.article_pk = c.article_pk \
         JOIN stories s ON s.pk = sa.story_pk WHERE s.first_at >= $1 AND s.last_at <= $2 \
         GROUP BY c.article_pk ORDER BY COUNT(*) DESC, c.article_pk LIMIT {MAX_CANDIDATES}"
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql))
        .bind(m.at.saturating_sub(WINDOW_MS))
        .bind(m.at.saturating_add(WINDOW_MS))
        .bind(m.pk);
    for b in bands {
        q = q.bind(*b);
    }
    let found = q.fetch_all(&mut *conn).await?;
    if found.is_empty() {
        return Ok(None);
    }
    // Keys from our own database, as integers: safe to inline.
    let pks = found
        .iter()
        .map(|(pk, _)| pk.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT sa.story_pk, a.pk, a.title, a.subtitle, a.body FROM articles a \
         JOIN story_articles sa ON sa.article_pk = a.pk WHERE a.pk IN ({pks})"
    );
    let rows: Vec<(i64, i64, String, Option<String>, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?;
    let mut best: Option<(f64, i64, i64)> = None;
    for (story, pk, title, subtitle, body) in rows {
        let other = stories::shingles(&title, subtitle.as_deref(), &body);
        let j = stories::jaccard(&m.shingles, &other);
        if j >= stories::THRESHOLD
            && best.is_none_or(|(bj, _, bpk)| j > bj || (j == bj && pk < bpk))
        {
            best = Some((j, story, pk));
        }
    }
    Ok(best.map(|(_, story, _)| story))
}

/// Takes an article out of its story (before it is grouped again); the story is repaired
/// or, left empty, deleted.
async fn leave(conn: &mut AnyConnection, article_pk: i64) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM story_bands WHERE article_pk = $1")
        .bind(article_pk)
        .execute(&mut *conn)
        .await?;
    let old: Option<(i64,)> =
        sqlx::query_as("DELETE FROM story_articles WHERE article_pk = $1 RETURNING story_pk")
            .bind(article_pk)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((story,)) = old {
        repair(conn, story).await?;
    }
    Ok(())
}

/// The stories of articles about to be deleted (their rows go with the articles).
pub(super) async fn of_source(
    conn: &mut AnyConnection,
    source: &str,
    id: Option<&str>,
) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT sa.story_pk FROM story_articles sa JOIN articles a \
         ON a.pk = sa.article_pk WHERE a.source = $1 AND ($2 = '' OR a.ext_id = $2)",
    )
    .bind(source)
    .bind(id.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Brings a story's title (its earliest article's) and times in line with its articles,
/// or deletes it when none is left.
pub(super) async fn repair(conn: &mut AnyConnection, story: i64) -> anyhow::Result<()> {
    let first: Option<(String, i64)> = sqlx::query_as(
        "SELECT a.title, sa.at FROM story_articles sa JOIN articles a ON a.pk = sa.article_pk \
         WHERE sa.story_pk = $1 ORDER BY sa.at, a.pk LIMIT 1",
    )
    .bind(story)
    .fetch_optional(&mut *conn)
    .await?;
    match first {
        None => {
            sqlx::query("DELETE FROM stories WHERE pk = $1")
                .bind(story)
                .execute(&mut *conn)
                .await?;
        }
        Some((title, first_at)) => {
            sqlx::query(
                "UPDATE stories SET title = $1, first_at = $2, last_at = \
                 (SELECT MAX(at) FROM story_articles WHERE story_pk = $3) WHERE pk = $3",
            )
            .bind(title)
            .bind(first_at)
            .bind(story)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

impl super::ArticleWrite {
    /// Groups articles into stories in this transaction ([`Store::regroup_all`]).
    pub(super) async fn group(&mut self, members: &[Member]) -> anyhow::Result<()> {
        group(&mut self.tx, members).await
    }

    /// Forgets every story (before [`Store::regroup_all`] groups again).
    pub(super) async fn clear_stories(&mut self) -> anyhow::Result<()> {
        for table in ["story_bands", "story_articles", "stories"] {
            let sql = format!("DELETE FROM {table}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

/// A story as pages and the API show it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryRow {
    pub id: i64,
    pub title: String,
    /// Published articles.
    pub size: i64,
    /// Distinct sources among them.
    pub sources: i64,
    /// The earliest article's time (ms).
    pub first_at: i64,
    pub last_at: i64,
}

/// One copy in a story: (source, id, title, time in ms, url), earliest first.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryCopy {
    pub source: String,
    pub id: String,
    pub title: String,
    pub at: i64,
    pub url: Option<String>,
}

const STORY_SELECT: &str = "SELECT s.pk, s.title, COUNT(*), COUNT(DISTINCT a.source), \
    MIN(sa.at), MAX(sa.at) FROM stories s JOIN story_articles sa ON sa.story_pk = s.pk \
    JOIN articles a ON a.pk = sa.article_pk AND a.status = 'published'";

type RawStory = (i64, String, i64, i64, i64, i64);

fn story_row(r: RawStory) -> StoryRow {
    StoryRow {
        id: r.0,
        title: r.1,
        size: r.2,
        sources: r.3,
        first_at: r.4,
        last_at: r.5,
    }
}

impl Store {
    /// Story `id` with its published copies, earliest first; None when it has none.
    pub async fn story(&self, id: i64) -> anyhow::Result<Option<(StoryRow, Vec<StoryCopy>)>> {
        let sql = format!("{STORY_SELECT} WHERE s.pk = $1 GROUP BY s.pk, s.title");
        let row: Option<RawStory> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let copies: Vec<(String, String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT a.source, a.ext_id, a.title, sa.at, a.url FROM story_articles sa \
             JOIN articles a ON a.pk = sa.article_pk WHERE sa.story_pk = $1 \
             AND a.status = 'published' ORDER BY sa.at, a.pk",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let copies = copies
            .into_iter()
            .map(|(source, id, title, at, url)| StoryCopy {
                source,
                id,
                title,
                at,
                url,
            })
            .collect();
        Ok(Some((story_row(row), copies)))
    }

    /// The newest stories of two or more published articles (by their latest copy).
    pub async fn stories(&self, limit: i64) -> anyhow::Result<Vec<StoryRow>> {
        let sql = format!(
            "{STORY_SELECT} GROUP BY s.pk, s.title HAVING COUNT(*) > 1 \
             ORDER BY MAX(sa.at) DESC, s.pk DESC LIMIT $1"
        );
        let rows: Vec<RawStory> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(story_row).collect())
    }

    /// (story id, size) of the article (source, id) when its story has another published
    /// article.
    pub async fn story_of(&self, source: &str, id: &str) -> anyhow::Result<Option<(i64, i64)>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT sa.story_pk, (SELECT COUNT(*) FROM story_articles o JOIN articles b \
             ON b.pk = o.article_pk AND b.status = 'published' WHERE o.story_pk = sa.story_pk) \
             FROM story_articles sa JOIN articles a ON a.pk = sa.article_pk \
             WHERE a.source = $1 AND a.ext_id = $2",
        )
        .bind(source)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.filter(|r| r.1 > 1))
    }

    /// The story the article (source, id) belongs to, whatever its size.
    pub async fn story_pk(&self, source: &str, id: &str) -> anyhow::Result<Option<i64>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT sa.story_pk FROM story_articles sa JOIN articles a ON a.pk = sa.article_pk \
             WHERE a.source = $1 AND a.ext_id = $2",
        )
        .bind(source)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Regroups every article, oldest first, in batches (for articles stored before stories
    /// existed, and after a change of the grouping rules); returns how many were grouped.
    pub async fn regroup_all(&self) -> anyhow::Result<u64> {
        {
            let mut w = self.write_articles().await?;
            w.clear_stories().await?;
            w.commit().await?;
        }
        let mut after = (i64::MIN, 0i64);
        let mut n = 0u64;
        loop {
            let rows: Vec<(i64, i64, String, Option<String>, String)> = sqlx::query_as(
                "SELECT pk, sort_time, title, subtitle, body FROM articles \
                 WHERE sort_time > $1 OR (sort_time = $1 AND pk > $2) \
                 ORDER BY sort_time, pk LIMIT 500",
            )
            .bind(after.0)
            .bind(after.1)
            .fetch_all(self.pool())
            .await?;
            let Some(last) = rows.last() else { break };
            after = (last.1, last.0);
            let members: Vec<Member> = rows
                .iter()
                .map(|(pk, at, title, subtitle, body)| Member {
                    pk: *pk,
                    at: *at,
                    shingles: stories::shingles(title, subtitle.as_deref(), body),
                    // Not fresh: an article written meanwhile was grouped by its write.
                    fresh: false,
                })
                .collect();
            let mut w = self.write_articles().await?;
            w.group(&members).await?;
            w.commit().await?;
            n += members.len() as u64;
        }
        Ok(n)
    }
}
