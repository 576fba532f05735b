use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context;
use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct Settings {
    pub database_url: String,
    pub pool_size: u32,
}

pub struct AppState {
    pub pool: PgPool,
    pub flags: HashMap<String, bool>,
}

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_products", "CREATE TABLE IF NOT EXISTS products (id BIGSERIAL PRIMARY KEY, sku TEXT UNIQUE NOT NULL, name TEXT NOT NULL)"),
    ("0002_flags", "CREATE TABLE IF NOT EXISTS feature_flags (name TEXT PRIMARY KEY, enabled BOOLEAN NOT NULL DEFAULT false)"),
];

pub async fn build_state(settings: &Settings) -> anyhow::Result<AppState> {
    let manager = PostgresConnectionManager::new_from_stringlike(&settings.database_url, NoTls)?;
    let pool = Pool::builder()
        .max_size(settings.pool_size)
        .connection_timeout(Duration::from_secs(5))
        .build(manager)
        .await?;

    // fail fast when the database is unreachable
    let _ = pool.get().await.context("database unreachable at startup")?;

    run_migrations(&pool).await?;
    let flags = load_feature_flags(&pool).await?;
    Ok(AppState { pool, flags })
}

pub async fn health(state: &AppState) -> anyhow::Result<()> {
    let _ = state.pool.get().await?;
    record_health_probe(&state.pool).await
}

async fn run_migrations(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let tx = conn.transaction().await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
        .await?;
    for (version, sql) in MIGRATIONS {
        let applied = tx
            .query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[version])
            .await?
            .is_some();
        if !applied {
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version])
                .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn load_feature_flags(pool: &PgPool) -> anyhow::Result<HashMap<String, bool>> {
    let conn = pool.get().await?;
    let rows = conn.query("SELECT name, enabled FROM feature_flags", &[]).await?;
    Ok(rows.iter().map(|r| (r.get("name"), r.get("enabled"))).collect())
}

async fn record_health_probe(pool: &PgPool) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.execute("UPDATE service_health SET last_probe_at = now() WHERE service = 'catalog'", &[])
        .await?;
    tracing::debug!("health probe recorded");
    Ok(())
}
