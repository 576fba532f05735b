mod dispatcher;
mod error;
mod outbox;
mod signer;

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use tokio::sync::watch;
use tracing::{info, warn};

use crate::dispatcher::{Dispatcher, DispatcherConfig};
use crate::outbox::Outbox;

#[tokio::main]
async fn main() -> Result<(), error::DispatchError> {
    tracing_subscriber::fmt::init();
    let url = std::env::var("DATABASE_URL").map_err(|_| error::DispatchError::Config("DATABASE_URL"))?;
    let pool = PgPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10)).connect(&url).await?;

    let outbox = Arc::new(Outbox::new(pool, Duration::from_secs(120)));
    let (pending, dead) = tokio::join!(outbox.pending_count(), outbox.dead_letter_count());
    info!(pending = pending?, dead = dead?, "outbox state at start-up");

    let cfg = DispatcherConfig::from_env();
    let dispatcher = Arc::new(Dispatcher::new(cfg, Arc::clone(&outbox))?);
    dispatcher.refresh_endpoints().await?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let janitor = Arc::clone(&outbox);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match janitor.release_stale().await {
                Ok(n) if n > 0 => warn!(n, "released deliveries whose worker vanished"),
                Ok(_) => {}
                Err(e) => warn!(error = %e, "janitor pass failed"),
            }
        }
    });
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop_tx.send(true);
    });

    dispatcher.run(stop_rx).await
}
