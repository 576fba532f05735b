// Positive: static EXPORT_SLOTS (tokio Semaphore) and static DB (sqlx pool) are taken in opposite orders.
// `run_export` holds an export permit while its (temporary) query checks out a DB connection; the
// hourly `purge_expired_exports` job holds a DB transaction while waiting for an export permit.
use std::{path::PathBuf, time::Duration};

use anyhow::Context;
use axum::{extract::Path, http::StatusCode, routing::post, Json, Router};
use once_cell::sync::Lazy;
use sqlx::{postgres::PgPoolOptions, PgPool};
use tokio::{io::AsyncWriteExt, sync::Semaphore};
use uuid::Uuid;

/// Exports stream whole tables to local disk; more than a handful at once saturates it.
static EXPORT_SLOTS: Semaphore = Semaphore::const_new(4);

static DB: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new()
        .max_connections(10)
        .connect_lazy(&std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"))
        .expect("DATABASE_URL is not a valid postgres url")
});

const INVOICE_EXPORT_SQL: &str = "SELECT number, customer_name, total_cents, issued_at::TEXT AS issued_at \
     FROM invoices WHERE tenant_id = $1 ORDER BY issued_at";

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    number: String,
    customer_name: String,
    total_cents: i64,
    issued_at: String,
}

async fn run_export(tenant_id: i64) -> anyhow::Result<PathBuf> {
    let export_id = Uuid::new_v4();
    let path = PathBuf::from(format!("/var/lib/exports/{tenant_id}/{export_id}.csv"));

    {
        let _slot = EXPORT_SLOTS.acquire().await.context("export slots closed")?;
        let rows = sqlx::query_as::<_, InvoiceRow>(INVOICE_EXPORT_SQL).bind(tenant_id).fetch_all(&*DB).await?; //~ checkout_order_inversion
        write_csv(&path, &rows).await?;
    }

    sqlx::query(
        "INSERT INTO export_jobs (id, tenant_id, file_path, status, finished_at) \
         VALUES ($1, $2, $3, 'done', now())",
    )
    .bind(export_id)
    .bind(tenant_id)
    .bind(path.display().to_string())
    .execute(&*DB)
    .await?;
    Ok(path)
}

async fn write_csv(path: &PathBuf, rows: &[InvoiceRow]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut file = tokio::fs::File::create(path)
        .await
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(b"number,customer,total_cents,issued_at\n").await?;
    for row in rows {
        let line = format!(
            "{},{},{},{}\n",
            row.number,
            row.customer_name.replace(',', " "),
            row.total_cents,
            row.issued_at
        );
        file.write_all(line.as_bytes()).await?;
    }
    file.flush().await?;
    Ok(())
}

async fn purge_expired_exports() -> anyhow::Result<usize> {
    let mut tx = DB.begin().await?;
    let expired: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT id, file_path FROM export_jobs \
         WHERE status = 'done' AND finished_at < now() - interval '7 days' \
         FOR UPDATE SKIP LOCKED",
    )
    .fetch_all(&mut *tx)
    .await?;

    for (export_id, file_path) in &expired {
        // Deleting multi-GB files competes for the same disk as running exports.
        let _slot = EXPORT_SLOTS.acquire().await.context("export slots closed")?;
        match tokio::fs::remove_file(file_path).await {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).with_context(|| format!("removing {file_path}")),
        }
        sqlx::query("UPDATE export_jobs SET status = 'purged' WHERE id = $1")
            .bind(export_id)
            .execute(&mut *tx)
            .await?;
    }

    tx.commit().await?;
    Ok(expired.len())
}

async fn create_export(Path(tenant_id): Path<i64>) -> Result<Json<String>, (StatusCode, String)> {
    run_export(tenant_id)
        .await
        .map(|path| Json(path.display().to_string()))
        .map_err(|err| (StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}")))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(err) = purge_expired_exports().await {
                eprintln!("purging expired exports failed: {err:#}");
            }
        }
    });

    let app = Router::new().route("/tenants/:tenant_id/exports", post(create_export));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8081").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
