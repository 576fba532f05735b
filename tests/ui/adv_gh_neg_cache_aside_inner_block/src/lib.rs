use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use deadpool_redis::redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub redis: deadpool_redis::Pool,
}

#[derive(Serialize, Deserialize, sqlx::FromRow)]
pub struct Profile {
    pub user_id: i64,
    pub display_name: String,
    pub bio: Option<String>,
}

pub struct AppError(anyhow::Error);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.0.to_string()).into_response()
    }
}

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(err: E) -> Self {
        Self(err.into())
    }
}

pub async fn get_profile(
    State(state): State<AppState>,
    Path(user_id): Path<i64>,
) -> Result<Json<Profile>, AppError> {
    let key = format!("profile:{user_id}");
    {
        let mut cache = state.redis.get().await?;
        if let Some(hit) = cache.get::<_, Option<String>>(&key).await? {
            return Ok(Json(serde_json::from_str(&hit)?));
        }
    }

    let profile: Profile =
        sqlx::query_as("SELECT user_id, display_name, bio FROM profiles WHERE user_id = $1")
            .bind(user_id)
            .fetch_one(&state.db)
            .await?;

    let body = serde_json::to_string(&profile)?;
    let mut cache = state.redis.get().await?;
    let _: () = cache.set_ex(&key, body, 300).await?;
    Ok(Json(profile))
}
