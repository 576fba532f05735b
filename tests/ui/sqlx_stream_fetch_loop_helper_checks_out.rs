// `query(..).fetch(&pool)` keeps its connection until the stream is dropped: inside the
// `while let` loop over its rows, `mark_notified(&pool, ..)` checks out a second connection.
use futures::TryStreamExt;
use sqlx::{PgPool, Row};

async fn mark_notified(pool: &PgPool, subscription_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE subscriptions SET notified_at = now() WHERE id = $1")
        .bind(subscription_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Collects the renewal e-mails to send and marks each subscription as notified.
pub async fn collect_renewal_notices(pool: PgPool) -> Result<Vec<String>, sqlx::Error> {
    let mut rows = sqlx::query(
        "SELECT id, email FROM subscriptions
          WHERE renews_at < now() + interval '3 days' AND notified_at IS NULL",
    )
    .fetch(&pool);
    let mut outbox = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get("id")?;
        let email: String = row.try_get("email")?;
        mark_notified(&pool, id).await?; //~ nested_checkout
        outbox.push(email);
    }
    Ok(outbox)
}
