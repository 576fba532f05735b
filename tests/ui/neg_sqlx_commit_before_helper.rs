// Negative: `tx.commit()` consumes the transaction and returns its connection before
// `enqueue_welcome_email(&pool, ..)` queries the pool.
use sqlx::PgPool;
use uuid::Uuid;

async fn enqueue_welcome_email(pool: &PgPool, user_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO email_jobs (user_id, template) VALUES ($1, 'welcome')")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn sign_up(pool: PgPool, email: &str, password_hash: &str) -> Result<Uuid, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let user_id: Uuid = sqlx::query_scalar("INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id")
        .bind(email)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO profiles (user_id) VALUES ($1)")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    enqueue_welcome_email(&pool, user_id).await?;
    Ok(user_id)
}
