// Module tree with `#[path]` and `mod.rs`: `store` lives in `src/storage/postgres_store.rs`, the
// handlers in `src/handlers/mod.rs` + `uploads.rs`; `uploads::finish` holds a client and calls
// `crate::store::record_upload(&state.db, ..)`, which checks out from the same deadpool pool.
#[path = "storage/postgres_store.rs"]
mod store;
mod handlers;

use axum::{routing::post, Router};
use deadpool_postgres::Pool;

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
}

/// The upload routes; the binary builds the pool and serves this router.
pub fn router(db: Pool) -> Router {
    Router::new()
        .route("/uploads/:id/finish", post(handlers::uploads::finish))
        .with_state(AppState { db })
}
