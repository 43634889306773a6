//! Leadership of singleton jobs (the periodic enqueuers): a lease row on SQLite and, on
//! PostgreSQL, a session-level advisory lock on a connection held for the purpose
//! (`src/jobs/leader.rs` decides which).

use super::Store;

impl Store {
    /// Takes or renews the lease row of singleton `name` for `holder`; true while `holder`
    /// leads (the row was free, expired, or already theirs).
    pub async fn lead_by_lease(
        &self,
        name: &str,
        holder: &str,
        lease_until_ms: i64,
        now_ms: i64,
    ) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "INSERT INTO job_leaders (name, holder, lease_until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
             lease_until = excluded.lease_until \
             WHERE job_leaders.holder = excluded.holder OR job_leaders.lease_until < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(lease_until_ms)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Gives up the lease row of singleton `name` if `holder` has it.
    pub async fn resign_lease(&self, name: &str, holder: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM job_leaders WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A connection taken out of the pool for good (a PostgreSQL session that holds an
    /// advisory lock as long as it lives).
    pub async fn dedicated_connection(&self) -> anyhow::Result<sqlx::AnyConnection> {
        Ok(self.pool.acquire().await?.detach())
    }
}

/// Tries to take the session-level advisory lock of singleton `name` on a dedicated
/// PostgreSQL connection (keyed by the current schema too, so two sites sharing one
/// database do not elect each other); true when this session now holds it.
pub async fn try_advisory_lock(conn: &mut sqlx::AnyConnection, name: &str) -> anyhow::Result<bool> {
    let (got,): (bool,) = sqlx::query_as(
        "SELECT pg_try_advisory_lock(hashtext(current_schema() || ':sahifa:' || $1))",
    )
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(got)
}

/// Releases the advisory lock of singleton `name` held by this session, and closes it.
pub async fn advisory_unlock(mut conn: sqlx::AnyConnection, name: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    sqlx::query("SELECT pg_advisory_unlock(hashtext(current_schema() || ':sahifa:' || $1))::text")
        .bind(name)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// A round trip on a dedicated connection: an error means the session (and its locks) is
/// gone.
pub async fn ping(conn: &mut sqlx::AnyConnection) -> anyhow::Result<()> {
    sqlx::query("SELECT 1").execute(conn).await?;
    Ok(())
}
