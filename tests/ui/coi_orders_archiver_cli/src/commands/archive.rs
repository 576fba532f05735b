// `archive` subcommand: holds a PRIMARY transaction (rows locked for deletion) while inserting into ARCHIVE.
use crate::db::{OrderRecord, ARCHIVE, PRIMARY};

pub async fn run(older_than_days: i32, batch_size: i64) -> anyhow::Result<u64> {
    let mut total = 0u64;
    loop {
        let mut tx = PRIMARY.begin().await?;
        let batch: Vec<OrderRecord> = sqlx::query_as(
            "SELECT id, customer_id, total_cents, status, created_at FROM orders \
             WHERE created_at < now() - make_interval(days => $1) \
             ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind(older_than_days)
        .bind(batch_size)
        .fetch_all(&mut *tx)
        .await?;
        if batch.is_empty() {
            break;
        }

        for order in &batch {
            sqlx::query( //~ guard_held_across_await
                "INSERT INTO archived_orders (id, customer_id, total_cents, status, created_at, archived_at) \
                 VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (id) DO NOTHING",
            )
            .bind(order.id)
            .bind(order.customer_id)
            .bind(order.total_cents)
            .bind(&order.status)
            .bind(order.created_at)
            .execute(&*ARCHIVE)
            .await?;
        }

        let ids: Vec<i64> = batch.iter().map(|order| order.id).collect();
        sqlx::query("DELETE FROM orders WHERE id = ANY($1)")
            .bind(&ids)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        total += batch.len() as u64;
    }
    Ok(total)
}
