use sqlx::PgPool;

/// The VAT / sales-tax rate currently in force for a region, if one is configured.
pub async fn rate_for(db: &PgPool, region: &str) -> Result<Option<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT rate FROM tax_rates WHERE region = $1 AND valid_from <= now() \
         ORDER BY valid_from DESC LIMIT 1",
    )
    .bind(region)
    .fetch_optional(db)
    .await
}
