// Negative: `fetch_all(&pool)` collects every row and returns its connection before the loop, so
// each `renew(&pool, ..)` in the loop is the only checkout in flight (unlike a `fetch` stream).
use sqlx::{FromRow, PgPool};

#[derive(FromRow)]
pub struct Certificate {
    pub id: i64,
    pub domain: String,
}

async fn renew(pool: &PgPool, cert: &Certificate) -> Result<(), sqlx::Error> {
    tracing::info!(domain = %cert.domain, "renewing certificate");
    sqlx::query("UPDATE certificates SET renew_requested_at = now() WHERE id = $1")
        .bind(cert.id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn renew_expiring(pool: PgPool) -> Result<usize, sqlx::Error> {
    let expiring: Vec<Certificate> = sqlx::query_as(
        "SELECT id, domain FROM certificates WHERE expires_at < now() + interval '14 days'",
    )
    .fetch_all(&pool)
    .await?;
    for cert in &expiring {
        renew(&pool, cert).await?;
    }
    Ok(expiring.len())
}
