use chrono::NaiveDate;
use deadpool_postgres::Pool;

pub struct Tenant {
    pub id: i64,
    pub name: String,
}

pub async fn rollup_day(pool: &Pool, tenants: &[Tenant], day: NaiveDate) -> anyhow::Result<()> {
    for tenant in tenants {
        let client = pool.get().await?;
        let stmt = client
            .prepare_cached(
                "INSERT INTO daily_rollups (tenant_id, day, events) \
                 SELECT $1, $2, count(*) FROM events WHERE tenant_id = $1 AND created_at::date = $2 \
                 ON CONFLICT (tenant_id, day) DO UPDATE SET events = EXCLUDED.events",
            )
            .await?;
        client.execute(&stmt, &[&tenant.id, &day]).await?;
    }
    publish_rollup_ready(pool, day).await?;

    {
        let client = pool.get().await?;
        client.batch_execute("ANALYZE daily_rollups").await?;
    }
    refresh_dashboard_cache(pool, day).await?;
    Ok(())
}

async fn publish_rollup_ready(pool: &Pool, day: NaiveDate) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute("SELECT pg_notify('rollups', $1)", &[&day.to_string()])
        .await?;
    Ok(())
}

async fn refresh_dashboard_cache(pool: &Pool, day: NaiveDate) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute("REFRESH MATERIALIZED VIEW CONCURRENTLY dashboard_daily", &[])
        .await?;
    client
        .execute("UPDATE dashboard_meta SET refreshed_for = $1", &[&day])
        .await?;
    Ok(())
}
