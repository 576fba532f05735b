// Negative: the open transaction is passed down as `&mut *tx` (to a `&mut PgConnection` helper and to
// a generic `impl PgExecutor` helper), so both run on the connection already held.
use sqlx::{PgConnection, PgExecutor, PgPool};

async fn insert_line_items(conn: &mut PgConnection, order_id: i64, items: &[(String, i32)]) -> Result<(), sqlx::Error> {
    for (sku, qty) in items {
        sqlx::query("INSERT INTO order_items (order_id, sku, qty) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(sku)
            .bind(qty)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn add_history<'e>(executor: impl PgExecutor<'e>, order_id: i64, note: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO order_history (order_id, note) VALUES ($1, $2)")
        .bind(order_id)
        .bind(note)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn create_order(pool: &PgPool, customer_id: i64, items: &[(String, i32)]) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let order_id: i64 = sqlx::query_scalar("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id")
        .bind(customer_id)
        .fetch_one(&mut *tx)
        .await?;
    insert_line_items(&mut tx, order_id, items).await?;
    add_history(&mut *tx, order_id, "created").await?;
    tx.commit().await?;
    Ok(order_id)
}
