// Session routes. `resolve_session` holds a redis connection while users::load_profile checks out a
// postgres connection (redis -> pg), the opposite order of users::deactivate_user (pg -> redis).
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use redis::AsyncCommands;

use crate::{
    error::ApiError,
    routes::users::{self, UserProfile},
    state::AppState,
};

const SESSION_TTL_SECS: i64 = 60 * 60 * 24;

pub async fn resolve_session(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Result<Json<UserProfile>, ApiError> {
    let mut conn = state.redis.get().await?;
    let key = format!("session:{token}");
    let user_id: Option<i64> = conn.get(&key).await?;
    let user_id = user_id.ok_or(ApiError::Unauthorized)?;

    let profile = users::load_profile(&state, user_id).await?; //~ checkout_order_inversion
    if !profile.active {
        let _: () = conn.del(&key).await?;
        return Err(ApiError::Unauthorized);
    }

    // Sliding expiration: every successful lookup extends the session.
    let _: () = conn.expire(&key, SESSION_TTL_SECS).await?;
    Ok(Json(profile))
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut conn = state.redis.get().await?;
    let key = format!("session:{token}");
    let user_id: Option<i64> = conn.get(&key).await?;
    let _: () = conn.del(&key).await?;
    if let Some(user_id) = user_id {
        let _: () = conn.srem(format!("user_sessions:{user_id}"), &token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes every session of a user. Checks out its own redis connection.
pub async fn revoke_all_sessions(state: &AppState, user_id: i64) -> Result<usize, ApiError> {
    let mut conn = state.redis.get().await?;
    let index = format!("user_sessions:{user_id}");
    let tokens: Vec<String> = conn.smembers(&index).await?;
    for token in &tokens {
        let _: () = conn.del(format!("session:{token}")).await?;
    }
    let _: () = conn.del(&index).await?;
    Ok(tokens.len())
}
