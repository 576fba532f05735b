use chrono::NaiveDate;
use r2d2::PooledConnection;
use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
pub type DbConn = PooledConnection<PostgresConnectionManager<NoTls>>;

const PUBLIC_SCHEMA: &str = "public";

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A connection whose `search_path` points at the tenant's schema.
pub fn tenant_conn(pool: &DbPool, tenant: &str) -> anyhow::Result<DbConn> {
    let mut conn = pool.get()?;
    if tenant == PUBLIC_SCHEMA {
        return Ok(conn);
    }
    conn.batch_execute(&format!("SET search_path TO {}, public", quote_ident(tenant)))?;
    Ok(conn)
}

pub struct MonthlyReport {
    pub revenue_cents: i64,
    pub orders: i64,
    pub brand_name: String,
}

pub fn monthly_report(pool: &DbPool, tenant: &str, month: NaiveDate) -> anyhow::Result<MonthlyReport> {
    let (revenue_cents, orders) = {
        let mut conn = tenant_conn(pool, tenant)?;
        let row = conn.query_one(
            "SELECT COALESCE(SUM(total_cents), 0)::BIGINT, count(*) FROM orders WHERE date_trunc('month', created_at)::date = $1",
            &[&month],
        )?;
        (row.get(0), row.get(1))
    };
    let brand_name = brand_name(pool, tenant)?;
    Ok(MonthlyReport {
        revenue_cents,
        orders,
        brand_name,
    })
}

fn brand_name(pool: &DbPool, tenant: &str) -> anyhow::Result<String> {
    let mut conn = tenant_conn(pool, PUBLIC_SCHEMA)?;
    let row = conn.query_one("SELECT brand_name FROM tenants WHERE schema_name = $1", &[&tenant])?;
    Ok(row.get(0))
}
