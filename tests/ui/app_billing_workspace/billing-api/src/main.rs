mod error;
mod routes;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use billing_core::{Database, DbConfig, InvoiceRepo};

#[derive(Debug)]
pub struct ApiConfig { pub listen: SocketAddr, pub max_payment_cents: i64 }

static CONFIG: OnceLock<ApiConfig> = OnceLock::new();

pub fn config() -> &'static ApiConfig {
    CONFIG.get().expect("config is set in main")
}

#[derive(Clone)]
pub struct ApiState {
    pub db: Database,
    pub invoices: Arc<InvoiceRepo>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt::init();
    CONFIG
        .set(ApiConfig {
            listen: std::env::var("LISTEN").unwrap_or_else(|_| "0.0.0.0:8080".into()).parse()?,
            max_payment_cents: 10_000_000,
        })
        .expect("config set twice");

    let db = Database::connect(&DbConfig::from_env()?).await?;
    let state = ApiState { invoices: Arc::new(InvoiceRepo::new(db.clone())), db };

    let listener = tokio::net::TcpListener::bind(config().listen).await?;
    tracing::info!(addr = %config().listen, "billing-api listening");
    axum::serve(listener, routes::router(state)).await?;
    Ok(())
}
