//! Nightly per-tenant export. The export runs for hours, so it detaches its connection from the
//! pool instead of holding one of the request-serving slots.

use mobc::Pool;
use mobc_postgres::PgConnectionManager;
use tokio_postgres::{Client, NoTls};

pub type PgPool = Pool<PgConnectionManager<NoTls>>;

pub struct Tenant {
    pub id: i64,
    pub schema: String,
}

pub async fn export_all(pool: &PgPool, out_dir: &std::path::Path) -> anyhow::Result<usize> {
    let conn = pool.get().await?;
    let conn = conn.into_inner();
    conn.batch_execute("SET statement_timeout = 0; SET default_transaction_read_only = on")
        .await?;

    let tenants = list_tenants(pool).await?;
    for tenant in &tenants {
        export_tenant(&conn, tenant, out_dir).await?;
    }
    mark_export_finished(pool, tenants.len()).await?;
    Ok(tenants.len())
}

async fn list_tenants(pool: &PgPool) -> anyhow::Result<Vec<Tenant>> {
    let conn = pool.get().await?;
    let rows = conn
        .query("SELECT id, schema_name FROM tenants WHERE active ORDER BY id", &[])
        .await?;
    Ok(rows
        .iter()
        .map(|r| Tenant {
            id: r.get(0),
            schema: r.get(1),
        })
        .collect())
}

async fn export_tenant(client: &Client, tenant: &Tenant, out_dir: &std::path::Path) -> anyhow::Result<()> {
    let rows = client
        .query(&format!("SELECT row_to_json(o)::text FROM \"{}\".orders o", tenant.schema), &[])
        .await?;
    let body: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    tokio::fs::write(out_dir.join(format!("{}.jsonl", tenant.id)), body.join("\n")).await?;
    Ok(())
}

async fn mark_export_finished(pool: &PgPool, tenants: usize) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.execute(
        "INSERT INTO export_runs (tenants, finished_at) VALUES ($1, now())",
        &[&(tenants as i64)],
    )
    .await?;
    Ok(())
}
