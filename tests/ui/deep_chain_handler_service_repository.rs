// Three levels deep: the handler holds a client (and its transaction) from `state.db` and awaits
// `services::orders::reserve_lines`, which calls `repository::stock::reserve`, which does
// `pool.get().await` on the same deadpool pool.
use axum::{extract::State, http::StatusCode, Json};
use deadpool_postgres::Pool;
use serde::Deserialize;

#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
}

#[derive(Deserialize)]
pub struct PlaceOrder {
    pub customer_id: i64,
    pub lines: Vec<(String, i32)>,
}

pub mod repository {
    pub mod stock {
        use deadpool_postgres::Pool;

        pub async fn reserve(pool: &Pool, sku: &str, qty: i32) -> anyhow::Result<bool> {
            let client = pool.get().await?;
            let n = client
                .execute(
                    "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND on_hand - reserved >= $2",
                    &[&sku, &qty],
                )
                .await?;
            Ok(n == 1)
        }
    }
}

pub mod services {
    pub mod orders {
        use crate::repository::stock;
        use deadpool_postgres::Pool;

        pub async fn reserve_lines(pool: &Pool, lines: &[(String, i32)]) -> anyhow::Result<bool> {
            for (sku, qty) in lines {
                if !stock::reserve(pool, sku, *qty).await? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
    }
}

pub async fn place_order(State(state): State<AppState>, Json(req): Json<PlaceOrder>) -> Result<StatusCode, StatusCode> {
    let mut client = state.db.get().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let tx = client.transaction().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    tx.execute("INSERT INTO orders (customer_id, state) VALUES ($1, 'new')", &[&req.customer_id])
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let reserved = services::orders::reserve_lines(&state.db, &req.lines) //~ nested_checkout
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if !reserved {
        return Err(StatusCode::CONFLICT);
    }
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::CREATED)
}
