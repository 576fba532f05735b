// Two axum handlers over two databases. `complete_order` holds an ORDERS transaction while
// `post_entry` queries LEDGER; `reconcile` holds a LEDGER transaction while
// `mark_reconciled` queries ORDERS. Under load each handler fills one pool waiting for the
// other: reported once, at the first path.
use axum::{extract::Path, http::StatusCode, routing::post, Router};
use once_cell::sync::Lazy;
use sqlx::postgres::{PgPool, PgPoolOptions};

static ORDERS: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new().max_connections(20).connect_lazy("postgres://orders").expect("orders url")
});
static LEDGER: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new().max_connections(20).connect_lazy("postgres://ledger").expect("ledger url")
});

async fn post_entry(order_id: i64, cents: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO entries (order_id, cents) VALUES ($1, $2)")
        .bind(order_id)
        .bind(cents)
        .execute(&*LEDGER)
        .await?;
    Ok(())
}

async fn mark_reconciled(order_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET reconciled = true WHERE id = $1")
        .bind(order_id)
        .execute(&*ORDERS)
        .await?;
    Ok(())
}

async fn complete_order(Path(order_id): Path<i64>) -> Result<StatusCode, StatusCode> {
    let mut tx = ORDERS.begin().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let cents: i64 = sqlx::query_scalar("UPDATE orders SET state = 'done' WHERE id = $1 RETURNING total_cents")
        .bind(order_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|_| StatusCode::NOT_FOUND)?;
    post_entry(order_id, cents).await.map_err(|_| StatusCode::BAD_GATEWAY)?; //~ checkout_order_inversion
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reconcile(Path(order_id): Path<i64>) -> Result<StatusCode, StatusCode> {
    let mut tx = LEDGER.begin().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    sqlx::query("UPDATE entries SET checked = true WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    mark_reconciled(order_id).await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    tx.commit().await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> Router {
    Router::new()
        .route("/orders/:id/complete", post(complete_order))
        .route("/ledger/:id/reconcile", post(reconcile))
}
