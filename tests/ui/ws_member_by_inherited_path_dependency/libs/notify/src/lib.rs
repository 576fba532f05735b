//! Outgoing notifications, queued in the database.

use deadpool_postgres::Pool;

pub async fn queue_welcome_mail(pool: &Pool, user_id: i64) -> Result<(), Box<dyn std::error::Error>> {
    let client = pool.get().await?;
    client
        .execute("INSERT INTO outbox (user_id, template) VALUES ($1, 'welcome')", &[&user_id])
        .await?;
    Ok(())
}
