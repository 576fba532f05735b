use deadpool_postgres::{Pool, PoolError};

#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Pg(#[from] tokio_postgres::Error),
    #[error("not enough stock for {0}")]
    OutOfStock(String),
}

/// Moves `qty` units of `sku` from available to reserved.
pub async fn reserve(pool: &Pool, sku: &str, qty: i32) -> Result<(), ReserveError> {
    let client = pool.get().await?;
    let n = client
        .execute(
            "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND available - reserved >= $2",
            &[&sku, &qty],
        )
        .await?;
    if n == 0 {
        return Err(ReserveError::OutOfStock(sku.to_owned()));
    }
    Ok(())
}
