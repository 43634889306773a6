//! The article change log (`article_changes`, `article_log`): appended by every article write
//! in its own transaction, read by the followers (each node's search index and front pages).
//!
//! **The cursor.** A follower remembers the position `(txid, seq)` of the last change it
//! applied. On SQLite writes are serialised, so `seq` order is commit order and `txid` is 0.
//! On PostgreSQL two transactions can commit out of `seq` order: a follower that read
//! `seq` 11 and moved on would never see a `seq` 10 committed a moment later. Rather than
//! re-scanning a lookback window (which needs a window longer than any transaction, and
//! de-duplication), each row records the id of the transaction that wrote it (`xid8`, as
//! bigint) and a read only takes rows of transactions older than the snapshot's `xmin`, the
//! oldest transaction still running: every such transaction has ended, and every later one
//! gets a larger id, so the set of rows below `xmin` never grows behind the cursor. Rows are
//! read in `(txid, seq)` order. The cost is latency: a change waits for every transaction
//! that started before it (article writes are short; the follower polls a few times a second).

use sqlx::{Any, Transaction};

use super::{Backend, Store, to_millis};

/// A position in the change log: every change at or before it has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LogCursor {
    pub txid: i64,
    pub seq: i64,
}

/// One logged change: the article `(source, id)` was written (`kind`: upsert, status,
/// labels or delete). Followers read the article's current state, so order within a read
/// does not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub source: String,
    pub id: String,
    pub kind: String,
    pub at: LogCursor,
}

/// The log's identity and how far it has been pruned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogInfo {
    pub id: String,
    pub pruned: LogCursor,
}

/// Rows per multi-row insert (4 parameters each).
const ROWS_PER_STATEMENT: usize = 100;

/// Appends one change per `(source, id, kind)` inside the writer's transaction.
pub(super) async fn append(
    tx: &mut Transaction<'static, Any>,
    changes: &[(String, String, &'static str)],
) -> anyhow::Result<()> {
    let now = to_millis(chrono::Utc::now());
    for chunk in changes.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let n = i * 4;
                format!("(${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO article_changes (source, ext_id, kind, at) VALUES {values}");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (source, id, kind) in chunk {
            q = q.bind(source).bind(id).bind(*kind).bind(now);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// The oldest transaction id still running (PostgreSQL), or `None` on SQLite where every
    /// committed row is final.
    async fn xmin(&self) -> anyhow::Result<Option<i64>> {
        if self.backend == Backend::Sqlite {
            return Ok(None);
        }
        let (x,): (i64,) =
            sqlx::query_as("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                .fetch_one(&self.pool)
                .await?;
        Ok(Some(x))
    }

    /// On PostgreSQL, the first transaction id not yet given out: once the log can be read
    /// up to it (the follower's `txid` has reached it less one), every write committed before
    /// this call has been read. `None` on SQLite, where a committed write can be read at once.
    pub async fn log_horizon(&self) -> anyhow::Result<Option<i64>> {
        if self.backend == Backend::Sqlite {
            return Ok(None);
        }
        let (x,): (i64,) =
            sqlx::query_as("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
                .fetch_one(&self.pool)
                .await?;
        Ok(Some(x))
    }

    /// The position a rebuild starting now may record: everything the rebuild's scan will
    /// read is at or before it, or is re-applied from the log afterwards (harmless).
    pub async fn log_head(&self) -> anyhow::Result<LogCursor> {
        match self.xmin().await? {
            Some(x) => Ok(LogCursor {
                txid: x - 1,
                seq: i64::MAX,
            }),
            None => {
                let (seq,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM article_changes")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(LogCursor {
                    txid: 0,
                    seq: seq.unwrap_or(0),
                })
            }
        }
    }

    /// Up to `limit` changes after `after` that are final (see the module comment), and the
    /// cursor to record once they are applied.
    pub async fn changes_after(
        &self,
        after: LogCursor,
        limit: i64,
    ) -> anyhow::Result<(Vec<Change>, LogCursor)> {
        let xmin = self.xmin().await?;
        let rows: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT txid, seq, source, ext_id, kind FROM article_changes \
             WHERE (txid > $1 OR (txid = $1 AND seq > $2)) AND txid < $3 \
             ORDER BY txid, seq LIMIT $4",
        )
        .bind(after.txid)
        .bind(after.seq)
        .bind(xmin.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let full = rows.len() as i64 >= limit;
        let changes: Vec<Change> = rows
            .into_iter()
            .map(|(txid, seq, source, id, kind)| Change {
                source,
                id,
                kind,
                at: LogCursor { txid, seq },
            })
            .collect();
        let mut cursor = changes.last().map_or(after, |c| c.at.max(after));
        if !full && let Some(x) = xmin {
            // Every transaction below xmin has ended and was read in full.
            cursor = cursor.max(LogCursor {
                txid: x - 1,
                seq: i64::MAX,
            });
        }
        Ok((changes, cursor))
    }

    /// Number of final changes after `after`, counting no further than `cap`.
    pub async fn pending_changes(&self, after: LogCursor, cap: i64) -> anyhow::Result<i64> {
        let xmin = self.xmin().await?;
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT 1 FROM article_changes \
             WHERE (txid > $1 OR (txid = $1 AND seq > $2)) AND txid < $3 LIMIT $4) AS p",
        )
        .bind(after.txid)
        .bind(after.seq)
        .bind(xmin.unwrap_or(i64::MAX))
        .bind(cap)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// The log's identity and pruning position.
    pub async fn log_info(&self) -> anyhow::Result<LogInfo> {
        let (id, txid, seq): (String, i64, i64) =
            sqlx::query_as("SELECT id, pruned_txid, pruned_seq FROM article_log")
                .fetch_one(&self.pool)
                .await?;
        Ok(LogInfo {
            id,
            pruned: LogCursor { txid, seq },
        })
    }

    /// Deletes changes older than `before` that every follower should long have applied, and
    /// records how far the log now starts (a follower behind that rebuilds). Returns how
    /// many were deleted.
    pub async fn prune_changes(
        &self,
        before: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<u64> {
        let cutoff = to_millis(before);
        let xmin = self.xmin().await?.unwrap_or(i64::MAX);
        let mut tx = self.pool.begin().await?;
        let last: Option<(i64, i64)> = sqlx::query_as(
            "SELECT txid, seq FROM article_changes WHERE at < $1 AND txid < $2 \
             ORDER BY txid DESC, seq DESC LIMIT 1",
        )
        .bind(cutoff)
        .bind(xmin)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((txid, seq)) = last else {
            return Ok(0);
        };
        let r =
            sqlx::query("DELETE FROM article_changes WHERE txid < $1 OR (txid = $1 AND seq <= $2)")
                .bind(txid)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
        sqlx::query(
            "UPDATE article_log SET pruned_txid = $1, pruned_seq = $2 \
             WHERE pruned_txid < $1 OR (pruned_txid = $1 AND pruned_seq < $2)",
        )
        .bind(txid)
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(r.rows_affected())
    }
}
