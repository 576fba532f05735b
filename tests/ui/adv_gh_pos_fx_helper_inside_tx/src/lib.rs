use serde::Deserialize;
use sqlx::{PgPool, Postgres, Transaction};

#[derive(Deserialize)]
struct FxQuote {
    rate: f64,
}

pub struct CheckoutService {
    db: PgPool,
    http: reqwest::Client,
    fx_base: String,
}

impl CheckoutService {
    async fn fetch_fx_rate(&self, from: &str, to: &str) -> anyhow::Result<f64> {
        let url = format!("{}/rates/{from}/{to}", self.fx_base);
        let quote: FxQuote = self
            .http
            .get(url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(quote.rate)
    }

    async fn insert_order(
        tx: &mut Transaction<'_, Postgres>,
        customer_id: i64,
        currency: &str,
    ) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "INSERT INTO orders (customer_id, currency) VALUES ($1, $2) RETURNING id",
        )
        .bind(customer_id)
        .bind(currency)
        .fetch_one(&mut **tx)
        .await
    }

    pub async fn place_order(
        &self,
        customer_id: i64,
        amount_cents: i64,
        currency: &str,
    ) -> anyhow::Result<i64> {
        let mut tx = self.db.begin().await?;
        let order_id = Self::insert_order(&mut tx, customer_id, currency).await?;
        let rate = self.fetch_fx_rate(currency, "EUR").await?; //~ guard_held_across_await
        let settled_eur = (amount_cents as f64 * rate).round() as i64;
        sqlx::query("UPDATE orders SET amount_cents = $2, settled_eur_cents = $3 WHERE id = $1")
            .bind(order_id)
            .bind(amount_cents)
            .bind(settled_eur)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(order_id)
    }
}
