// Every await under the transaction uses it: queries on `&mut *tx`, helpers given `&mut tx`,
// a savepoint opened on it, the commit. The notification goes out after the commit.
use sqlx::{Acquire, PgPool, Postgres, Transaction};

pub struct OrderRepo {
    db: PgPool,
    notifier: reqwest::Client,
}

async fn insert_lines(tx: &mut Transaction<'_, Postgres>, order_id: i64, skus: &[String]) -> sqlx::Result<()> {
    for sku in skus {
        sqlx::query("INSERT INTO order_lines (order_id, sku) VALUES ($1, $2)")
            .bind(order_id)
            .bind(sku)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl OrderRepo {
    pub async fn place(&self, customer_id: i64, skus: Vec<String>) -> anyhow::Result<i64> {
        let mut tx = self.db.begin().await?;
        let order_id: i64 = sqlx::query_scalar("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id")
            .bind(customer_id)
            .fetch_one(&mut *tx)
            .await?;
        insert_lines(&mut tx, order_id, &skus).await?;
        {
            let mut sp = tx.begin().await?;
            sqlx::query("UPDATE stock SET reserved = reserved + 1 WHERE sku = ANY($1)")
                .bind(&skus)
                .execute(&mut *sp)
                .await?;
            sp.commit().await?;
        }
        let conn = tx.acquire().await?;
        sqlx::query("NOTIFY orders_placed").execute(conn).await?;
        tx.commit().await?;

        self.notifier
            .post("https://hooks.internal/orders")
            .json(&order_id)
            .send()
            .await?;
        Ok(order_id)
    }
}
