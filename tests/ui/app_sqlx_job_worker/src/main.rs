mod config;
mod error;
mod handlers;
mod queue;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use tokio::sync::watch;
use tracing::{error, info};

use crate::{config::WorkerConfig, handlers::HandlerRegistry, queue::JobQueue, worker::Worker};

#[tokio::main]
async fn main() -> Result<(), error::WorkerError> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let cfg = WorkerConfig::from_env()?;

    let pool = PgPoolOptions::new().max_connections(10).acquire_timeout(Duration::from_secs(30)).connect(&cfg.database_url).await?;
    let queue = Arc::new(JobQueue::new(pool, cfg.lease));
    let registry = Arc::new(HandlerRegistry::with_defaults());
    let worker = Arc::new(Worker::new(cfg.clone(), Arc::clone(&queue), registry));

    // `--drain KIND` processes the backlog of one kind and exits (used during deploys).
    if let [_, flag, kind] = std::env::args().collect::<Vec<_>>().as_slice() {
        if flag == "--drain" { return worker.drain(kind, 500).await.map(|n| info!(kind = %kind, n, "drained")); }
    }

    let (stop_tx, stop_rx) = watch::channel(false);
    let (reaper_queue, reaper_every) = (Arc::clone(&queue), cfg.reap_interval);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(reaper_every);
        loop {
            tick.tick().await;
            match reaper_queue.reap_expired().await {
                Ok(n) => info!(n, "reaper pass done"),
                Err(e) => error!(error = %e, "reaper failed"),
            }
        }
    });
    tokio::spawn(async move { let _ = tokio::signal::ctrl_c().await; let _ = stop_tx.send(true); });

    worker.run(stop_rx).await
}
