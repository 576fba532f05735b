// axum with `State(pool): State<PgPool>` (the pool extracted through `FromRef`): the handler holds
// `pool.begin()` and awaits `team_seat_count(&pool, ..)`, which runs `fetch_one(pool)` on the pool.
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct InviteRequest {
    pub email: String,
}

async fn team_seat_count(pool: &PgPool, team_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM team_members WHERE team_id = $1")
        .bind(team_id)
        .fetch_one(pool)
        .await
}

fn internal(err: sqlx::Error) -> StatusCode {
    tracing::error!(%err, "invite failed");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn invite_member(
    State(pool): State<PgPool>,
    Path(team_id): Path<Uuid>,
    Json(req): Json<InviteRequest>,
) -> Result<StatusCode, StatusCode> {
    let mut tx = pool.begin().await.map_err(internal)?;
    let seats: i32 = sqlx::query_scalar("SELECT seats FROM teams WHERE id = $1 FOR UPDATE")
        .bind(team_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
    let used = team_seat_count(&pool, team_id).await.map_err(internal)?; //~ nested_checkout
    if used >= i64::from(seats) {
        return Err(StatusCode::PAYMENT_REQUIRED);
    }
    sqlx::query("INSERT INTO invitations (team_id, email) VALUES ($1, $2)")
        .bind(team_id)
        .bind(&req.email)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    Ok(StatusCode::CREATED)
}
