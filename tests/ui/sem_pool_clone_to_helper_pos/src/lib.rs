pub mod handlers;
pub mod refunds;
pub mod webhooks;

use std::sync::Arc;

use axum::routing::{delete, post};
use axum::Router;
use sqlx::PgPool;

pub struct AppState {
    pub db: PgPool,
    pub webhook_secret: String,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/orders", post(handlers::create_order))
        .route("/orders/:id", delete(handlers::cancel_order))
        .with_state(state)
}
