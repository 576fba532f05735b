// Negative: bb8's `dedicated_connection()` opens a new connection outside the pool (no slot taken),
// so calling it while a pooled connection is held is not a nested checkout.
use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::{Client, NoTls};

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

/// Starts a bulk export: marks the job as running on a pooled connection and opens a dedicated
/// connection for the long COPY, so the pool is not starved while it streams.
pub async fn start_export(pool: &PgPool, job_id: i64) -> anyhow::Result<Client> {
    let conn = pool.get().await?;
    let updated = conn
        .execute(
            "UPDATE export_jobs SET state = 'running', started_at = now() WHERE id = $1 AND state = 'queued'",
            &[&job_id],
        )
        .await?;
    anyhow::ensure!(updated == 1, "export job {job_id} is not queued");
    let copy_client = pool.dedicated_connection().await?; //~ guard_held_across_await
    conn.execute(
        "INSERT INTO export_job_events (job_id, kind) VALUES ($1, 'dedicated_connection_opened')",
        &[&job_id],
    )
    .await?;
    Ok(copy_client)
}
