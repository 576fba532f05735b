mod service;
mod store;

pub mod proto {
    tonic::include_proto!("accounts.v1");
}

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use tonic::transport::Server;

use crate::proto::accounts_server::AccountsServer;
use crate::service::AccountsService;
use crate::store::{MemoryStore, PgStore};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "0.0.0.0:50051".into()).parse()?;
    let server = Server::builder().timeout(Duration::from_secs(10));

    // Postgres in production; the in-memory store for local runs and tests.
    match std::env::var("DATABASE_URL") {
        Ok(url) => {
            let pool = PgPoolOptions::new().max_connections(20).connect(&url).await?;
            let store = PgStore::new(pool).with_velocity_limit(chrono::Duration::minutes(10), 20);
            let svc = AccountsService::new(store, 64);
            tracing::info!(%addr, "serving accounts (postgres)");
            server.add_service(AccountsServer::new(svc)).serve(addr).await?;
        }
        Err(_) => {
            let svc = AccountsService::new(MemoryStore::default(), 64);
            tracing::warn!(%addr, "DATABASE_URL not set: serving accounts from memory");
            server.add_service(AccountsServer::new(svc)).serve(addr).await?;
        }
    }
    Ok(())
}
