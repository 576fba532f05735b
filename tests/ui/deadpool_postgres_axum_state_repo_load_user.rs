// axum handler with a deadpool-postgres pool in `State<AppState>` (field `db`): it holds `client`
// and awaits `repo::load_user(&state.db, ..)`, which does `pool.get().await` on the same pool.
// deadpool has no wait timeout by default, so under load this hangs forever.
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use deadpool_postgres::Pool;
use serde::Serialize;

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
}

#[derive(Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
}

#[derive(Serialize)]
pub struct OrderSummary {
    pub id: i64,
    pub total_cents: i64,
    pub customer: User,
}

mod repo {
    use super::User;
    use deadpool_postgres::Pool;

    pub async fn load_user(pool: &Pool, id: i64) -> anyhow::Result<User> {
        let client = pool.get().await?;
        let row = client
            .query_one("SELECT id, email FROM users WHERE id = $1", &[&id])
            .await?;
        Ok(User { id: row.get(0), email: row.get(1) })
    }
}

pub async fn order_summary(
    State(state): State<AppState>,
    Path(order_id): Path<i64>,
) -> Result<Json<OrderSummary>, StatusCode> {
    let client = state.db.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let row = client
        .query_one(
            "SELECT id, total_cents, customer_id FROM orders WHERE id = $1",
            &[&order_id],
        )
        .await
        .map_err(|_| StatusCode::NOT_FOUND)?;
    let customer = repo::load_user(&state.db, row.get(2)) //~ nested_checkout
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Json(OrderSummary { id: row.get(0), total_cents: row.get(1), customer }))
}
