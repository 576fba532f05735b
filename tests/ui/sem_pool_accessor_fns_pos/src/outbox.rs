use crate::db::db;

#[derive(Debug, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub endpoint: String,
    pub payload: serde_json::Value,
}

pub async fn flush(http: &reqwest::Client, batch: i64) -> anyhow::Result<usize> {
    let mut tx = db().begin().await?;
    let rows = sqlx::query_as::<_, OutboxRow>(
        "SELECT id, endpoint, payload FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;

    for row in &rows {
        http.post(&row.endpoint).json(&row.payload).send().await?.error_for_status()?; //~ guard_held_across_await
        mark_delivered(row.id).await?; //~ nested_checkout
    }
    tx.commit().await?;
    Ok(rows.len())
}

async fn mark_delivered(id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE outbox SET delivered_at = now() WHERE id = $1")
        .bind(id)
        .execute(db())
        .await?;
    Ok(())
}
