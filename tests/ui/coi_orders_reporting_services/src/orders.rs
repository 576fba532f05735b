// OrderService owns the orders database pool and the storefront redis pool; it always takes db, then cache.
use anyhow::Context;
use deadpool_redis::redis::AsyncCommands;
use sqlx::PgPool;

pub struct OrderService {
    pub db: PgPool,
    pub cache: deadpool_redis::Pool,
}

impl OrderService {
    pub async fn cancel_order(&self, order_id: i64) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        let customer_id: i64 = sqlx::query_scalar(
            "UPDATE orders SET status = 'cancelled', cancelled_at = now() \
             WHERE id = $1 AND status = 'pending' RETURNING customer_id",
        )
        .bind(order_id)
        .fetch_optional(&mut *tx)
        .await?
        .context("order is not pending")?;

        sqlx::query(
            "UPDATE stock s SET on_hand = s.on_hand + oi.quantity \
             FROM order_items oi WHERE oi.order_id = $1 AND oi.sku = s.sku",
        )
        .bind(order_id)
        .execute(&mut *tx)
        .await?;

        let mut cache = self.cache.get().await?; //~ guard_held_across_await
        let _: () = cache.del(format!("customer:{customer_id}:open_orders")).await?;

        tx.commit().await?; //~ guard_held_across_await
        Ok(())
    }
}
