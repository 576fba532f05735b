// A notification worker takes its connection before it waits for work: while `select!` waits on
// the channel and the shutdown signal, the connection sits idle. The expiry worker's `select!`
// runs a query on its connection as one branch, so the connection is in use while it waits; but
// its handler then sleeps an hour holding it.
use sqlx::PgPool;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub struct Notification {
    pub user_id: i64,
    pub body: String,
}

pub async fn deliver_loop(
    pool: PgPool,
    mut inbox: mpsc::Receiver<Notification>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    loop {
        tokio::select! { //~ guard_held_across_await
            Some(n) = inbox.recv() => {
                sqlx::query("INSERT INTO notifications (user_id, body) VALUES ($1, $2)")
                    .bind(n.user_id)
                    .bind(&n.body)
                    .execute(&mut *conn)
                    .await?;
            }
            _ = shutdown.cancelled() => return Ok(()),
        }
    }
}

pub async fn expire_loop(pool: PgPool, shutdown: CancellationToken) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    loop {
        tokio::select! {
            res = sqlx::query("DELETE FROM notifications WHERE created_at < now() - interval '30 days'")
                .execute(&mut *conn) => {
                res?;
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await; //~ guard_held_across_await
            }
            _ = shutdown.cancelled() => return Ok(()),
        }
    }
}
