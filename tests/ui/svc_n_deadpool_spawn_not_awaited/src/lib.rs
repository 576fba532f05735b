pub mod geo;

use std::net::IpAddr;

use deadpool_postgres::{Pool, PoolError};

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Pg(#[from] tokio_postgres::Error),
}

/// Called after a successful password check.
pub async fn record_login(pool: &Pool, user_id: i64, ip: IpAddr, user_agent: &str) -> Result<(), AuthError> {
    let client = pool.get().await?;
    client
        .execute("UPDATE users SET last_login_at = now(), failed_logins = 0 WHERE id = $1", &[&user_id])
        .await?;

    // Geo enrichment is best effort and must not slow down the login response.
    let bg = pool.clone();
    tokio::spawn(async move {
        if let Err(e) = geo::record_login_location(&bg, user_id, ip).await {
            tracing::warn!(user_id, error = %e, "geo enrichment failed");
        }
    });

    client
        .execute(
            "INSERT INTO login_events (user_id, ip, user_agent) VALUES ($1, $2, $3)",
            &[&user_id, &ip, &user_agent],
        )
        .await?;
    Ok(())
}
