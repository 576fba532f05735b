use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::fx::FxRatesClient;

mod fx {
    pub struct FxRatesClient {
        pub http: reqwest::Client,
        pub base_url: String,
    }

    impl FxRatesClient {
        pub async fn latest_rate(&self, from: &str, to: &str) -> anyhow::Result<rust_decimal::Decimal> {
            let url = format!("{}/latest?from={}&to={}", self.base_url, from, to);
            Ok(self.http.get(url).send().await?.json().await?)
        }
    }
}

#[derive(sqlx::FromRow)]
struct UsageLine {
    meter: String,
    quantity: i64,
    unit_price_usd: Decimal,
}

pub async fn close_billing_period(
    pool: &PgPool,
    fx: Arc<FxRatesClient>,
    account_id: Uuid,
    billing_currency: String,
    period_end: NaiveDate,
) -> anyhow::Result<Uuid> {
    let mut tx = pool.begin().await?;

    let usage: Vec<UsageLine> = sqlx::query_as(
        "SELECT meter, quantity, unit_price_usd FROM usage_records \
         WHERE account_id = $1 AND invoiced_at IS NULL AND recorded_on <= $2 FOR UPDATE",
    )
    .bind(account_id)
    .bind(period_end)
    .fetch_all(&mut *tx)
    .await?;

    let currency = billing_currency.clone();
    let rate_task = tokio::spawn(async move { fx.latest_rate("USD", &currency).await });

    let invoice_id: Uuid = sqlx::query_scalar(
        "INSERT INTO invoices (account_id, period_end, currency) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account_id)
    .bind(period_end)
    .bind(&billing_currency)
    .fetch_one(&mut *tx)
    .await?;

    let rate = rate_task.await??; //~ guard_held_across_await

    for line in &usage {
        let amount = Decimal::from(line.quantity) * line.unit_price_usd * rate;
        sqlx::query("INSERT INTO invoice_lines (invoice_id, meter, quantity, amount) VALUES ($1, $2, $3, $4)")
            .bind(invoice_id)
            .bind(&line.meter)
            .bind(line.quantity)
            .bind(amount)
            .execute(&mut *tx)
            .await?;
    }

    tx.commit().await?;
    Ok(invoice_id)
}
