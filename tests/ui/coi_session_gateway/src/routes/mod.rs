// Router wiring: session and user routes share one Arc<AppState>, so their handlers run concurrently.
pub mod sessions;
pub mod users;

use std::sync::Arc;

use axum::{
    routing::{get, post},
    Router,
};

use crate::state::AppState;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/sessions/:token",
            get(sessions::resolve_session).delete(sessions::logout),
        )
        .route("/users/:id", get(users::get_user))
        .route("/users/:id/deactivate", post(users::deactivate_user))
        .with_state(state)
}
