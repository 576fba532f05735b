use serde::Serialize;
use sqlx::{Acquire, PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
pub struct LineItem {
    pub sku: String,
    pub quantity: i32,
}

pub struct PlaceOrder {
    pub customer_id: Uuid,
    pub items: Vec<LineItem>,
}

async fn insert_order(tx: &mut Transaction<'_, Postgres>, cmd: &PlaceOrder) -> sqlx::Result<Uuid> {
    sqlx::query_scalar("INSERT INTO orders (customer_id, status) VALUES ($1, 'placed') RETURNING id")
        .bind(cmd.customer_id)
        .fetch_one(&mut **tx)
        .await
}

async fn reserve_stock(conn: &mut PgConnection, order_id: Uuid, items: &[LineItem]) -> sqlx::Result<()> {
    for item in items {
        sqlx::query("UPDATE inventory SET reserved = reserved + $2 WHERE sku = $1")
            .bind(&item.sku)
            .bind(item.quantity)
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO order_items (order_id, sku, quantity) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(&item.sku)
            .bind(item.quantity)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub struct OrderService {
    pool: PgPool,
}

impl OrderService {
    async fn write_outbox(&self, conn: &mut PgConnection, topic: &str, payload: serde_json::Value) -> sqlx::Result<()> {
        sqlx::query("INSERT INTO outbox (topic, payload) VALUES ($1, $2)")
            .bind(topic)
            .bind(payload)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn place_order(&self, cmd: PlaceOrder) -> sqlx::Result<Uuid> {
        let mut tx = self.pool.begin().await?;

        let order_id = insert_order(&mut tx, &cmd).await?;
        reserve_stock(&mut *tx, order_id, &cmd.items).await?;

        let conn = Acquire::acquire(&mut *tx).await?;
        let payload = serde_json::json!({ "order_id": order_id, "items": cmd.items });
        self.write_outbox(conn, "orders.placed", payload).await?;

        tx.commit().await?;
        Ok(order_id)
    }
}
