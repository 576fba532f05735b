mod db;
mod error;
mod eval;
mod flags;
mod routes;

use std::time::Duration;

use tracing::{info, warn};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let settings = db::DbSettings {
        flags_url: std::env::var("DATABASE_URL")?,
        audit_url: std::env::var("AUDIT_DATABASE_URL")?,
        max_connections: std::env::var("DB_MAX_CONNECTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10),
    };
    db::init(&settings).await?;
    info!(flags = eval::refresh().await?, "flag cache warmed");

    // Periodic refresh so flags changed on other instances show up here.
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(15));
        loop {
            tick.tick().await;
            if let Err(e) = eval::refresh().await { warn!(error = %e, "flag refresh failed"); }
        }
    });

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, routes::router()).await?;
    Ok(())
}
