// `restore` subcommand: holds an ARCHIVE transaction (rows locked for deletion) while inserting into PRIMARY.
use crate::db::{OrderRecord, ARCHIVE, PRIMARY};

pub async fn run(customer_id: i64) -> anyhow::Result<u64> {
    let mut tx = ARCHIVE.begin().await?;
    let orders: Vec<OrderRecord> = sqlx::query_as(
        "SELECT id, customer_id, total_cents, status, created_at FROM archived_orders \
         WHERE customer_id = $1 FOR UPDATE",
    )
    .bind(customer_id)
    .fetch_all(&mut *tx)
    .await?;

    for order in &orders {
        sqlx::query( //~ guard_held_across_await
            "INSERT INTO orders (id, customer_id, total_cents, status, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(order.id)
        .bind(order.customer_id)
        .bind(order.total_cents)
        .bind(&order.status)
        .bind(order.created_at)
        .execute(&*PRIMARY)
        .await?;
    }

    sqlx::query("DELETE FROM archived_orders WHERE customer_id = $1")
        .bind(customer_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(orders.len() as u64)
}
