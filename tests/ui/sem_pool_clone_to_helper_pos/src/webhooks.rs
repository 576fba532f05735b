use sqlx::PgPool;

pub async fn enqueue(db: PgPool, event: &str, payload: serde_json::Value) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO webhook_outbox (event, payload) VALUES ($1, $2)")
        .bind(event)
        .bind(payload)
        .execute(&db)
        .await?;
    Ok(())
}
