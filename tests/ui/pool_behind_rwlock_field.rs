// The pool sits behind a `tokio::sync::RwLock` so it can be swapped on reconfiguration. The
// read guard is the pool itself: a connection taken through it is held while `active_sessions`
// runs its query on the same pool.
use sqlx::PgPool;
use tokio::sync::RwLock;

pub struct Database {
    pool: RwLock<PgPool>,
}

impl Database {
    pub async fn reconfigure(&self, pool: PgPool) {
        *self.pool.write().await = pool;
    }

    async fn active_sessions(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT count(*) FROM sessions WHERE expires_at > now()")
            .fetch_one(&*self.pool.read().await)
            .await
    }

    pub async fn health(&self) -> sqlx::Result<(bool, i64)> {
        let mut conn = self.pool.read().await.acquire().await?;
        let ok: i32 = sqlx::query_scalar("SELECT 1").fetch_one(&mut *conn).await?;
        let sessions = self.active_sessions().await?; //~ nested_checkout
        Ok((ok == 1, sessions))
    }
}
