use sqlx::PgPool;

use crate::tax;

fn round_cents(value: f64) -> i64 {
    (value + 0.5).floor() as i64
}

pub async fn apply_tax(db: &PgPool, region: &str, subtotal_cents: i64) -> Result<i64, sqlx::Error> {
    let rate = tax::rate_for(db, region).await?.unwrap_or(0.0);
    Ok(subtotal_cents + round_cents(subtotal_cents as f64 * rate))
}
