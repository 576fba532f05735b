use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub async fn connect(database_url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(10)
        .min_connections(1)
        .idle_timeout(Duration::from_secs(600))
        .max_lifetime(Duration::from_secs(30 * 60))
        .connect(database_url)
        .await
}

pub async fn flag_enabled(pool: &PgPool, name: &str, tenant: &str) -> Result<bool, sqlx::Error> {
    let enabled: Option<bool> = sqlx::query_scalar(
        "SELECT enabled FROM flag_overrides WHERE flag = $1 AND tenant = $2
         UNION ALL SELECT default_enabled FROM flags WHERE name = $1
         LIMIT 1",
    )
    .bind(name)
    .bind(tenant)
    .fetch_optional(pool)
    .await?;
    Ok(enabled.unwrap_or(false))
}
