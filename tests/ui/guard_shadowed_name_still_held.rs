// Shadowing a guard's name does not end the guard: after `let client = &self.search;` the pooled
// `client` from `self.db` is still alive, so `self.stamp_reindexed(..)` nests on the same pool.
use deadpool_postgres::Pool;

pub struct SearchQueue {
    pending: std::sync::Mutex<Vec<i64>>,
}

impl SearchQueue {
    pub fn enqueue(&self, ids: &[i64]) {
        self.pending.lock().expect("queue lock").extend_from_slice(ids);
    }
}

pub struct Reindexer {
    db: Pool,
    search: SearchQueue,
}

impl Reindexer {
    async fn stamp_reindexed(&self, ids: &[i64]) -> anyhow::Result<u64> {
        let client = self.db.get().await?;
        let n = client
            .execute("UPDATE documents SET reindex_requested_at = now() WHERE id = ANY($1)", &[&ids])
            .await?;
        Ok(n)
    }

    pub async fn reindex_author(&self, author_id: i64) -> anyhow::Result<u64> {
        let client = self.db.get().await?;
        let rows = client
            .query("SELECT id FROM documents WHERE author_id = $1", &[&author_id])
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        // the name now means the search queue; the pooled client above is not dropped
        let client = &self.search;
        client.enqueue(&ids);
        let touched = self.stamp_reindexed(&ids).await?; //~ nested_checkout
        Ok(touched)
    }
}
