use sqlx::{Acquire, Connection, PgPool, Postgres};

#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub external_id: String,
    pub email: String,
    pub name: String,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: u32,
    pub skipped: u32,
}

async fn upsert_customer<'a, A>(db: A, rec: &CustomerRecord) -> sqlx::Result<i64>
where
    A: Acquire<'a, Database = Postgres>,
{
    let mut conn = db.acquire().await?;
    sqlx::query_scalar(
        "INSERT INTO customers (external_id, email, name) VALUES ($1, $2, $3) \
         ON CONFLICT (external_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name RETURNING id",
    )
    .bind(&rec.external_id)
    .bind(&rec.email)
    .bind(&rec.name)
    .fetch_one(&mut *conn)
    .await
}

/// Imports every record in one transaction; a bad record only rolls back its own savepoint.
pub async fn import_batch(pool: &PgPool, records: &[CustomerRecord]) -> sqlx::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut tx = pool.begin().await?;

    for rec in records {
        let mut savepoint = tx.begin().await?;
        match upsert_customer(&mut *savepoint, rec).await {
            Ok(_) => {
                savepoint.commit().await?;
                report.imported += 1;
            }
            Err(e) => {
                tracing::warn!("skipping {}: {e}", rec.external_id);
                savepoint.rollback().await?;
                report.skipped += 1;
            }
        }
    }

    let conn = Acquire::acquire(&mut *tx).await?;
    sqlx::query("INSERT INTO import_runs (imported, skipped) VALUES ($1, $2)")
        .bind(report.imported as i32)
        .bind(report.skipped as i32)
        .execute(&mut *conn)
        .await?;

    tx.commit().await?;
    Ok(report)
}

/// Re-imports one record on a dedicated connection, inside its own transaction.
pub async fn reimport_one(pool: &PgPool, rec: &CustomerRecord) -> sqlx::Result<i64> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let id = upsert_customer(&mut *tx, rec).await?;
    sqlx::query("UPDATE customers SET reimported_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}
