use std::collections::HashMap;

use redis::AsyncCommands;
use serde::Deserialize;
use tracing::{debug, info, instrument, warn};
use uuid::Uuid;

use crate::repo::{self, CustomerSummary, Order, ProductPrice};
use crate::{AppError, AppState};

#[derive(Debug, Deserialize)]
pub struct NewOrder {
    pub customer_id: Uuid,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Deserialize)]
pub struct NewItem { pub product_id: Uuid, pub quantity: i32 }

fn summary_key(customer_id: Uuid) -> String { format!("orders:summary:{customer_id}") }

#[instrument(skip(state, input), fields(customer = %input.customer_id))]
pub async fn place_order(state: &AppState, input: NewOrder) -> Result<Order, AppError> {
    let max = state.config.max_items_per_order;
    if input.items.is_empty() || input.items.len() > max {
        return Err(AppError::BadRequest(format!("an order needs 1..={max} items")));
    }
    // Looked up before the transaction starts: a short implicit checkout, returned at once.
    let customer = repo::find_customer(&state.db, input.customer_id)
        .await?
        .ok_or(AppError::NotFound("customer"))?;
    if customer.blocked {
        return Err(AppError::BadRequest("customer is blocked".into()));
    }

    let mut tx = state.db.begin().await?;
    let order = repo::insert_order(&mut *tx, customer.id).await?;
    let prices = price_lines(state, &input.items).await?; //~ nested_checkout

    let mut total = 0i64;
    for item in &input.items {
        let Some(price) = prices.get(&item.product_id) else {
            return Err(AppError::BadRequest(format!("unknown product {}", item.product_id)));
        };
        repo::insert_item(&mut *tx, order.id, item.product_id, item.quantity, price.unit_cents).await?;
        total += price.unit_cents * i64::from(item.quantity);
    }
    let order = repo::set_total(&mut *tx, order.id, total).await?;
    tx.commit().await?;

    // The transaction is committed: its connection is back in the pool.
    invalidate_summary(state, customer.id).await?;
    let bg = state.clone();
    let order_id = order.id;
    tokio::spawn(async move {
        if let Err(e) = publish_order_event(&bg, order_id).await {
            warn!(error = %e, %order_id, "order event not published");
        }
    });
    info!(order = %order.id, total, "order placed");
    Ok(order)
}

/// Current price of every product in the order, keyed by product id (inactive ones left out).
async fn price_lines(state: &AppState, items: &[NewItem]) -> Result<HashMap<Uuid, ProductPrice>, AppError> {
    let ids: Vec<Uuid> = items.iter().map(|i| i.product_id).collect();
    let rows = repo::product_prices(&state.db, &ids).await?;
    Ok(rows.into_iter().filter(|p| p.active).map(|p| (p.product_id, p)).collect())
}

#[instrument(skip(state))]
pub async fn cancel_order(state: &AppState, order_id: Uuid) -> Result<Order, AppError> {
    let mut tx = state.db.begin().await?;
    let Some(order) = repo::cancel(&mut *tx, order_id).await? else {
        return Err(AppError::NotFound("order"));
    };
    // A savepoint on the connection the transaction holds, not a second connection.
    let mut sp = tx.begin().await?;
    sqlx::query("DELETE FROM reservations WHERE order_id = $1")
        .bind(order_id)
        .execute(&mut *sp)
        .await?;
    sp.commit().await?;
    tx.commit().await?;

    invalidate_summary(state, order.customer_id).await?;
    Ok(order)
}

pub async fn recent_orders(state: &AppState, customer_id: Uuid, limit: Option<i64>) -> Result<Vec<Order>, AppError> {
    let limit = limit.unwrap_or(20).clamp(1, 500);
    let orders = if limit <= 100 {
        repo::list_for_customer(&state.db, customer_id, limit).await?
    } else {
        // Large exports read from the archive view on a connection of their own.
        let mut conn = state.db.acquire().await?;
        sqlx::query_as::<_, Order>(
            "SELECT id, customer_id, status, total_cents, created_at FROM orders_with_archive \
             WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2",
        )
        .bind(customer_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    };
    Ok(orders)
}

#[instrument(skip(state))]
pub async fn customer_summary(state: &AppState, customer_id: Uuid) -> Result<CustomerSummary, AppError> {
    let key = summary_key(customer_id);
    let mut conn = state.redis.get().await?;
    let cached: Option<String> = conn.get(&key).await?;
    if let Some(raw) = cached {
        debug!(%customer_id, "summary cache hit");
        return Ok(serde_json::from_str(&raw)?);
    }
    // Postgres while a redis connection is held: two different pools.
    let summary = repo::summarize(&state.db, customer_id).await?; //~ guard_held_across_await
    let raw = serde_json::to_string(&summary)?;
    let _: () = conn.set_ex(&key, raw, state.config.summary_ttl_secs).await?;
    bump_counter(state, "summary_miss").await; //~ nested_checkout
    Ok(summary)
}

async fn invalidate_summary(state: &AppState, customer_id: Uuid) -> Result<(), AppError> {
    {
        let mut conn = state.redis.get().await?;
        let _: () = conn.del(summary_key(customer_id)).await?;
    }
    bump_counter(state, "summary_invalidated").await;
    Ok(())
}

async fn bump_counter(state: &AppState, name: &str) {
    match state.redis.get().await {
        Ok(mut conn) => {
            if let Err(e) = conn.incr::<_, _, i64>(format!("metrics:{name}"), 1).await {
                warn!(error = %e, counter = name, "metric not recorded");
            }
        }
        Err(e) => warn!(error = %e, counter = name, "no redis connection for metrics"),
    }
}

async fn publish_order_event(state: &AppState, order_id: Uuid) -> Result<(), AppError> {
    let payload = serde_json::json!({ "type": "order.placed", "order_id": order_id }).to_string();
    let mut conn = state.redis.get().await?;
    let receivers: i64 = conn.publish("orders", payload).await?;
    debug!(%order_id, receivers, "order event published");
    Ok(())
}
