//! `drop(&conn)` drops a reference: the connection itself is still checked out.

use sqlx::PgPool;

async fn touch_last_seen(pool: &PgPool, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET last_seen = now() WHERE id = $1")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn load_profile(pool: &PgPool, user_id: i64) -> sqlx::Result<String> {
    let mut conn = pool.acquire().await?;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    // Meant to give the connection back; it only drops a borrow of it.
    drop(&conn);
    touch_last_seen(pool, user_id).await?; //~ nested_checkout
    Ok(name)
}

pub async fn load_profile_fixed(pool: &PgPool, user_id: i64) -> sqlx::Result<String> {
    let mut conn = pool.acquire().await?;
    let (name,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    drop(conn);
    touch_last_seen(pool, user_id).await?;
    Ok(name)
}
