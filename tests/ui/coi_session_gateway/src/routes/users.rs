// User routes. `deactivate_user` holds a postgres connection (open transaction) while
// sessions::revoke_all_sessions checks out a redis connection (pg -> redis).
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Serialize;

use crate::{error::ApiError, routes::sessions, state::AppState};

#[derive(Debug, Serialize)]
pub struct UserProfile {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub active: bool,
}

/// Loads a user profile on its own postgres connection.
pub async fn load_profile(state: &AppState, user_id: i64) -> Result<UserProfile, ApiError> {
    let client = state.pg.get().await?;
    let row = client
        .query_opt(
            "SELECT id, email, display_name, active FROM users WHERE id = $1",
            &[&user_id],
        )
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(UserProfile {
        id: row.get("id"),
        email: row.get("email"),
        display_name: row.get("display_name"),
        active: row.get("active"),
    })
}

pub async fn get_user(
    State(state): State<Arc<AppState>>,
    Path(user_id): Path<i64>,
) -> Result<Json<UserProfile>, ApiError> {
    Ok(Json(load_profile(&state, user_id).await?))
}

pub async fn deactivate_user(
    State(state): State<Arc<AppState>>,
    Path(user_id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let mut client = state.pg.get().await?;
    let tx = client.transaction().await?;

    let updated = tx
        .execute(
            "UPDATE users SET active = false, deactivated_at = now() WHERE id = $1 AND active",
            &[&user_id],
        )
        .await?;
    if updated == 0 {
        return Err(ApiError::NotFound("active user"));
    }
    tx.execute(
        "INSERT INTO user_events (user_id, kind) VALUES ($1, 'deactivated')",
        &[&user_id],
    )
    .await?;

    // Kill live sessions inside the transaction so a failure rolls the deactivation back.
    let revoked = sessions::revoke_all_sessions(&state, user_id).await?;
    tracing::info!(user_id, revoked, "user deactivated");

    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
