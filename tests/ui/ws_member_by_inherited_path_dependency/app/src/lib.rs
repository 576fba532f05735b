//! Sign-up: the account row and its welcome mail.

use deadpool_postgres::Pool;

pub async fn sign_up(pool: &Pool, email: &str) -> Result<i64, Box<dyn std::error::Error>> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let row = tx
        .query_one("INSERT INTO users (email) VALUES ($1) RETURNING id", &[&email])
        .await?;
    let id: i64 = row.get(0);
    notify::queue_welcome_mail(pool, id).await?; //~ nested_checkout
    tx.commit().await?;
    Ok(id)
}
