//! The `follows` table: which sections, tags and sources each member follows.

use super::Store;

impl Store {
    /// Adds a follow; returns false when the member already followed it.
    pub async fn insert_follow(
        &self,
        user_pk: i64,
        kind: &str,
        value: &str,
        at: i64,
    ) -> anyhow::Result<bool> {
        let r = sqlx::query(
            "INSERT INTO follows (user_pk, kind, value, created) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_pk, kind, value) DO NOTHING",
        )
        .bind(user_pk)
        .bind(kind)
        .bind(value)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Removes a follow; returns whether there was one.
    pub async fn delete_follow(
        &self,
        user_pk: i64,
        kind: &str,
        value: &str,
    ) -> anyhow::Result<bool> {
        let r = sqlx::query("DELETE FROM follows WHERE user_pk = $1 AND kind = $2 AND value = $3")
            .bind(user_pk)
            .bind(kind)
            .bind(value)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// A member's follows as (kind, value, created ms), oldest first.
    pub async fn follows_of(&self, user_pk: i64) -> anyhow::Result<Vec<(String, String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT kind, value, created FROM follows WHERE user_pk = $1 ORDER BY created, kind, value",
        )
        .bind(user_pk)
        .fetch_all(self.pool())
        .await?)
    }

    /// The follows of many members at once as (member, kind, value), each member's oldest
    /// first (what a personalized edition reads per page of recipients).
    pub async fn follows_of_many(
        &self,
        user_pks: &[i64],
    ) -> anyhow::Result<Vec<(i64, String, String)>> {
        if user_pks.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT user_pk, kind, value FROM follows WHERE user_pk IN ({}) \
             ORDER BY user_pk, created, kind, value",
            super::jobs::placeholders(1, user_pks.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for pk in user_pks {
            q = q.bind(*pk);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Whether some article (published or not) comes from source `name`.
    pub async fn source_exists(&self, name: &str) -> anyhow::Result<bool> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT pk FROM articles WHERE source = $1 LIMIT 1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.is_some())
    }

    /// Removes every follow of a member (account deletion).
    pub async fn delete_follows_of(&self, user_pk: i64) -> anyhow::Result<u64> {
        let r = sqlx::query("DELETE FROM follows WHERE user_pk = $1")
            .bind(user_pk)
            .execute(self.pool())
            .await?;
        Ok(r.rows_affected())
    }
}
