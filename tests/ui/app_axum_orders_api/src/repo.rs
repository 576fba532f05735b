//! Rows and SQL. Functions taking `&mut PgConnection` run on a connection the caller already
//! holds; functions taking `&PgPool` borrow one from the pool for the duration of the query.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgConnection, PgPool};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Customer { pub id: Uuid, pub email: String, pub blocked: bool }

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct Order {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub status: String,
    pub total_cents: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ProductPrice { pub product_id: Uuid, pub unit_cents: i64, pub active: bool }

#[derive(Debug, Clone, Serialize, serde::Deserialize, FromRow)]
pub struct CustomerSummary { pub customer_id: Uuid, pub order_count: i64, pub lifetime_cents: i64 }

const ORDER_COLUMNS: &str = "id, customer_id, status, total_cents, created_at";

pub async fn find_customer(pool: &PgPool, id: Uuid) -> Result<Option<Customer>, sqlx::Error> {
    sqlx::query_as::<_, Customer>("SELECT id, email, blocked FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub async fn product_prices(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<ProductPrice>, sqlx::Error> {
    sqlx::query_as::<_, ProductPrice>(
        "SELECT product_id, unit_cents, active FROM product_prices \
         WHERE product_id = ANY($1) AND valid_to IS NULL",
    )
    .bind(ids)
    .fetch_all(pool)
    .await
}

pub async fn insert_order(conn: &mut PgConnection, customer_id: Uuid) -> Result<Order, sqlx::Error> {
    let sql = format!("INSERT INTO orders (id, customer_id, status, total_cents) VALUES ($1, $2, 'pending', 0) RETURNING {ORDER_COLUMNS}");
    sqlx::query_as::<_, Order>(&sql).bind(Uuid::new_v4()).bind(customer_id).fetch_one(conn).await
}

pub async fn insert_item(conn: &mut PgConnection, order_id: Uuid, product_id: Uuid, qty: i32, unit_cents: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO order_items (order_id, product_id, quantity, unit_cents) VALUES ($1, $2, $3, $4)")
        .bind(order_id).bind(product_id).bind(qty).bind(unit_cents)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_total(conn: &mut PgConnection, order_id: Uuid, total: i64) -> Result<Order, sqlx::Error> {
    let sql = format!("UPDATE orders SET total_cents = $2 WHERE id = $1 RETURNING {ORDER_COLUMNS}");
    sqlx::query_as::<_, Order>(&sql).bind(order_id).bind(total).fetch_one(conn).await
}

pub async fn cancel(conn: &mut PgConnection, order_id: Uuid) -> Result<Option<Order>, sqlx::Error> {
    let sql = format!("UPDATE orders SET status = 'cancelled' WHERE id = $1 AND status = 'pending' RETURNING {ORDER_COLUMNS}");
    sqlx::query_as::<_, Order>(&sql).bind(order_id).fetch_optional(conn).await
}

pub async fn list_for_customer(pool: &PgPool, customer_id: Uuid, limit: i64) -> Result<Vec<Order>, sqlx::Error> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2");
    sqlx::query_as::<_, Order>(&sql).bind(customer_id).bind(limit).fetch_all(pool).await
}

pub async fn summarize(pool: &PgPool, customer_id: Uuid) -> Result<CustomerSummary, sqlx::Error> {
    sqlx::query_as::<_, CustomerSummary>(
        "SELECT $1::uuid AS customer_id, count(*) AS order_count, \
                coalesce(sum(total_cents), 0)::bigint AS lifetime_cents \
         FROM orders WHERE customer_id = $1 AND status <> 'cancelled'",
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await
}
