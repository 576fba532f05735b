// Session gateway: AppState holds one bb8 postgres pool (`pg`) and one bb8 redis pool (`redis`).
// Positive case: routes/sessions.rs holds redis while checking out pg, routes/users.rs holds pg while
// checking out redis; both run concurrently behind one axum router. The marker is in routes/sessions.rs.
mod error;
mod routes;
mod state;

use std::sync::Arc;

use bb8_postgres::PostgresConnectionManager;
use bb8_redis::RedisConnectionManager;
use tokio_postgres::NoTls;

use crate::state::AppState;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let pg_manager =
        PostgresConnectionManager::new_from_stringlike(std::env::var("DATABASE_URL")?, NoTls)?;
    let pg = bb8::Pool::builder().max_size(20).build(pg_manager).await?;

    let redis_manager = RedisConnectionManager::new(std::env::var("REDIS_URL")?)?;
    let redis = bb8::Pool::builder().max_size(20).build(redis_manager).await?;

    let state = Arc::new(AppState { pg, redis });
    let app = routes::router(state);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    tracing::info!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
