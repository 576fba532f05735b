use sqlx::PgPool;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("post not found or already published")]
    NotFound,
}

async fn notify_followers(pool: &PgPool, post_id: i64, followers: &[i64]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for follower in followers {
        sqlx::query("INSERT INTO notifications (user_id, post_id, kind) VALUES ($1, $2, 'new_post')")
            .bind(follower)
            .bind(post_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

async fn refresh_author_stats(pool: &PgPool, author_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE authors SET post_count = (SELECT count(*) FROM posts WHERE author_id = $1 AND published_at IS NOT NULL) WHERE id = $1")
        .bind(author_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn publish_post(pool: &PgPool, post_id: i64, author_id: i64) -> Result<(), PublishError> {
    let mut conn = pool.acquire().await?;
    let updated = sqlx::query(
        "UPDATE posts SET published_at = now() WHERE id = $1 AND author_id = $2 AND published_at IS NULL",
    )
    .bind(post_id)
    .bind(author_id)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(PublishError::NotFound);
    }

    let followers: Vec<i64> = sqlx::query_scalar("SELECT follower_id FROM follows WHERE followee_id = $1")
        .bind(author_id)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);

    notify_followers(pool, post_id, &followers).await?;
    refresh_author_stats(pool, author_id).await?;
    Ok(())
}

pub async fn unpublish_post(pool: &PgPool, post_id: i64) -> Result<(), PublishError> {
    let mut conn = pool.acquire().await?;
    let author_id: Option<i64> = sqlx::query_scalar(
        "UPDATE posts SET published_at = NULL WHERE id = $1 AND published_at IS NOT NULL RETURNING author_id",
    )
    .bind(post_id)
    .fetch_optional(&mut *conn)
    .await?;
    std::mem::drop(conn);

    let author_id = author_id.ok_or(PublishError::NotFound)?;
    refresh_author_stats(pool, author_id).await?;
    Ok(())
}
