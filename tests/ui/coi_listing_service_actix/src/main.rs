// Listing service: actix-web with blocking r2d2 pools for postgres and redis, shared via web::Data<AppState>.
// Positive case: handlers.rs holds pg while evicting from redis in one path and holds redis while loading from pg
// in the other; actix runs both concurrently on its blocking thread pool.
mod cache;
mod db;
mod error;
mod handlers;
mod state;

use actix_web::{web, App, HttpServer};
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

use crate::state::AppState;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    env_logger::init();

    let pg_manager = PostgresConnectionManager::new(std::env::var("DATABASE_URL")?.parse()?, NoTls);
    let pg = r2d2::Pool::builder().max_size(16).build(pg_manager)?;
    let redis_client = redis::Client::open(std::env::var("REDIS_URL")?)?;
    let redis = r2d2::Pool::builder().max_size(16).build(redis_client)?;

    let state = web::Data::new(AppState { pg, redis });

    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/listings/{id}", web::get().to(handlers::get_listing))
            .route("/listings/{id}", web::put().to(handlers::update_listing))
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await?;
    Ok(())
}
