// Negative: `tenant_conn` returns its guard to the caller (`return Ok(conn)` and a tail `Ok(conn)`)
// without any further checkout, and the caller only uses that connection.
use sqlx::{pool::PoolConnection, FromRow, PgPool, Postgres};

#[derive(Debug, FromRow)]
pub struct Invoice {
    pub id: i64,
    pub total_cents: i64,
}

pub async fn tenant_conn(pool: &PgPool, tenant: &str, read_only: bool) -> Result<PoolConnection<Postgres>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT set_config('app.tenant', $1, false)")
        .bind(tenant)
        .execute(&mut *conn)
        .await?;
    if !read_only {
        return Ok(conn);
    }
    sqlx::query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        .execute(&mut *conn)
        .await?;
    Ok(conn)
}

pub async fn tenant_invoices(pool: &PgPool, tenant: &str) -> Result<Vec<Invoice>, sqlx::Error> {
    let mut conn = tenant_conn(pool, tenant, true).await?;
    let invoices = sqlx::query_as::<_, Invoice>("SELECT id, total_cents FROM invoices ORDER BY id DESC LIMIT 50")
        .fetch_all(&mut *conn)
        .await?;
    Ok(invoices)
}
