//! Monthly revenue report, run by the finance cron.

use chrono::NaiveDate;
use sqlx::{Executor, PgPool, Row};

#[derive(Debug)]
pub struct RegionRevenue {
    pub region: String,
    pub cents: i64,
}

#[derive(Debug)]
pub struct Report {
    pub month: NaiveDate,
    pub total_cents: i64,
    pub refunds_cents: i64,
    pub by_region: Vec<RegionRevenue>,
}

pub async fn monthly_report(pool: &PgPool, month: NaiveDate) -> Result<Report, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    // Reporting queries are slow; give this session a generous timeout.
    conn.execute("SET statement_timeout = '120s'").await?;

    let total_cents: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(total_cents), 0)::BIGINT FROM orders \
         WHERE date_trunc('month', paid_at) = $1",
    )
    .bind(month)
    .fetch_one(&mut *conn)
    .await?;

    let by_region_query = sqlx::query(
        "SELECT c.region, SUM(o.total_cents)::BIGINT AS cents FROM orders o \
         JOIN customers c ON c.id = o.customer_id \
         WHERE date_trunc('month', o.paid_at) = $1 GROUP BY c.region",
    )
    .bind(month);
    let rows = pool.fetch_all(by_region_query).await?; //~ nested_checkout
    let by_region = rows
        .iter()
        .map(|r| RegionRevenue { region: r.get("region"), cents: r.get("cents") })
        .collect();

    let refunds_cents: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_cents), 0)::BIGINT FROM refunds \
         WHERE date_trunc('month', created_at) = $1",
    )
    .bind(month)
    .fetch_one(&mut *conn)
    .await?;

    Ok(Report { month, total_cents, refunds_cents, by_region })
}
