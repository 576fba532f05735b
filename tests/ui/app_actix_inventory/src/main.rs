mod audit;
mod db;
mod error;
mod handlers;
mod models;
mod schema;

use std::sync::OnceLock;

use actix_web::{middleware, web, App, HttpServer};

pub use crate::error::ServiceError;

#[derive(Debug, Clone)]
pub struct Settings { pub database_url: String, pub bind: String, pub pool_size: u32, pub low_stock_threshold: i32 }

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Process-wide settings, loaded once in `main`.
pub fn settings() -> &'static Settings {
    SETTINGS.get().expect("settings are loaded in main")
}

fn load_settings() -> Settings {
    let num = |name: &str, default: u32| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Settings {
        database_url: std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"),
        bind: std::env::var("BIND").unwrap_or_else(|_| "0.0.0.0:8080".into()),
        pool_size: num("DB_POOL_SIZE", 12),
        low_stock_threshold: num("LOW_STOCK_THRESHOLD", 5) as i32,
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    dotenvy::dotenv().ok();
    tracing_subscriber::fmt::init();
    SETTINGS.set(load_settings()).expect("settings loaded twice");

    let pool = db::build_pool(settings()).expect("cannot build the database pool");
    let data = web::Data::new(pool);
    tracing::info!(bind = %settings().bind, "inventory-service starting");

    HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::JsonConfig::default().limit(64 * 1024))
            .wrap(middleware::Logger::default())
            .configure(handlers::configure)
    })
    .bind(&settings().bind)?
    .run()
    .await
}
