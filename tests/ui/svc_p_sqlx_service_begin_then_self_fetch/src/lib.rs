//! Order placement for the storefront backend.

use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("customer {0} has insufficient credit")]
    InsufficientCredit(Uuid),
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub customer_id: Uuid,
    pub sku: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
}

pub struct OrderService {
    pool: PgPool,
}

impl OrderService {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Remaining credit of a customer, in cents.
    async fn available_credit(&self, customer_id: Uuid) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar::<_, i64>(
            "SELECT credit_limit_cents - outstanding_cents FROM customers WHERE id = $1",
        )
        .bind(customer_id)
        .fetch_one(&self.pool)
        .await
    }

    pub async fn place_order(&self, order: NewOrder) -> Result<Uuid, OrderError> {
        let total = order.unit_price_cents * i64::from(order.quantity);
        let mut tx = self.pool.begin().await?;

        // Lock the customer row so two concurrent orders cannot both pass the credit check.
        sqlx::query("SELECT 1 FROM customers WHERE id = $1 FOR UPDATE")
            .bind(order.customer_id)
            .execute(&mut *tx)
            .await?;

        let credit = self.available_credit(order.customer_id).await?; //~ nested_checkout
        if credit < total {
            return Err(OrderError::InsufficientCredit(order.customer_id));
        }

        let order_id: Uuid = sqlx::query_scalar(
            "INSERT INTO orders (customer_id, sku, quantity, total_cents) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(order.customer_id)
        .bind(&order.sku)
        .bind(order.quantity)
        .bind(total)
        .fetch_one(&mut *tx)
        .await?;

        sqlx::query("UPDATE customers SET outstanding_cents = outstanding_cents + $1 WHERE id = $2")
            .bind(total)
            .bind(order.customer_id)
            .execute(&mut *tx)
            .await?;

        tx.commit().await?;
        tracing::info!(%order_id, total, "order placed");
        Ok(order_id)
    }

    pub async fn cancel_order(&self, order_id: Uuid) -> Result<bool, OrderError> {
        let done = sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = $1 AND status = 'pending'")
            .bind(order_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
