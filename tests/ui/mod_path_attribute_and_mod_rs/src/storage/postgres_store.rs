use deadpool_postgres::Pool;

pub async fn record_upload(pool: &Pool, upload_id: i64, bytes: i64) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute(
            "UPDATE uploads SET size_bytes = $2, finished_at = now() WHERE id = $1",
            &[&upload_id, &bytes],
        )
        .await?;
    Ok(())
}
