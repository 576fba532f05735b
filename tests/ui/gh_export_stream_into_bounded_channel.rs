// An export streams rows straight off the pool into a bounded channel. The stream holds its
// connection until it is exhausted, so a slow consumer keeps a connection busy doing nothing.
use futures::TryStreamExt;
use sqlx::{PgPool, Row};
use tokio::sync::mpsc;

pub struct ExportRow {
    pub id: i64,
    pub email: String,
}

pub async fn export_customers(pool: PgPool, out: mpsc::Sender<ExportRow>) -> anyhow::Result<u64> {
    let mut rows = sqlx::query("SELECT id, email FROM customers ORDER BY id").fetch(&pool);
    let mut sent = 0;
    while let Some(row) = rows.try_next().await? {
        let item = ExportRow { id: row.get("id"), email: row.get("email") };
        if out.send(item).await.is_err() { //~ guard_held_across_await
            break;
        }
        sent += 1;
    }
    Ok(sent)
}

/// Collected first, then sent: the connection goes back before the first send waits.
pub async fn export_customers_buffered(pool: PgPool, out: mpsc::Sender<ExportRow>) -> anyhow::Result<u64> {
    let rows: Vec<ExportRow> = sqlx::query("SELECT id, email FROM customers ORDER BY id")
        .fetch_all(&pool)
        .await?
        .into_iter()
        .map(|row| ExportRow { id: row.get("id"), email: row.get("email") })
        .collect();
    let mut sent = 0;
    for item in rows {
        if out.send(item).await.is_err() {
            break;
        }
        sent += 1;
    }
    Ok(sent)
}
