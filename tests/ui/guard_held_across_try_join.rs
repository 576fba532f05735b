// Futures joined with `tokio::try_join!` are awaited while `conn` is held: one of them,
// `invites::pending_for(&state.pool, ..)`, checks out a second connection from the same pool.
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Serialize;
use sqlx::{FromRow, PgPool};

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

#[derive(Serialize, FromRow)]
pub struct Project {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize)]
pub struct Dashboard {
    pub projects: Vec<Project>,
    pub pending_invites: i64,
}

mod invites {
    use sqlx::PgPool;

    pub async fn pending_for(pool: &PgPool, user_id: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT count(*) FROM invitations WHERE invitee_id = $1 AND accepted_at IS NULL")
            .bind(user_id)
            .fetch_one(pool)
            .await
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    Path(user_id): Path<i64>,
) -> Result<Json<Dashboard>, StatusCode> {
    let mut conn = state.pool.acquire().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let (projects, pending_invites) = tokio::try_join!(
        sqlx::query_as::<_, Project>("SELECT id, name FROM projects WHERE owner_id = $1").bind(user_id).fetch_all(&mut *conn),
        invites::pending_for(&state.pool, user_id), //~ nested_checkout
    )
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(Dashboard { projects, pending_invites }))
}
