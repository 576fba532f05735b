// `begin_with("BEGIN IMMEDIATE")` is a pool checkout: `settle_payment` holds that SqlitePool
// transaction and awaits `latest_rate(pool, ..)`, which runs `fetch_one(pool)` on the same pool.
use sqlx::SqlitePool;

async fn latest_rate(pool: &SqlitePool, currency: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT rate_ppm FROM fx_rates WHERE currency = ?1 ORDER BY as_of DESC LIMIT 1",
    )
    .bind(currency)
    .fetch_one(pool)
    .await
}

pub async fn settle_payment(pool: &SqlitePool, payment_id: i64) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (amount, currency): (i64, String) =
        sqlx::query_as("SELECT amount, currency FROM payments WHERE id = ?1 AND state = 'pending'")
            .bind(payment_id)
            .fetch_one(&mut *tx)
            .await?;
    let rate = latest_rate(pool, &currency).await?; //~ nested_checkout
    let settled = amount * rate / 1_000_000;
    sqlx::query("UPDATE payments SET settled_amount = ?2, state = 'settled' WHERE id = ?1")
        .bind(payment_id)
        .bind(settled)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(settled)
}
