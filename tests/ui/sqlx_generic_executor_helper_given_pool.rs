// A helper generic over `impl PgExecutor<'e>` checks out only when it is given a pool: here it is
// called with `&pool` while a transaction from that pool is open (it should get `&mut *tx`).
use sqlx::{PgExecutor, PgPool};

async fn insert_tag<'e>(
    executor: impl PgExecutor<'e>,
    article_id: i64,
    tag: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO article_tags (article_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(article_id)
        .bind(tag)
        .execute(executor)
        .await?;
    Ok(())
}

pub async fn publish_article(pool: PgPool, article_id: i64, tags: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE articles SET published_at = now() WHERE id = $1 AND published_at IS NULL")
        .bind(article_id)
        .execute(&mut *tx)
        .await?;
    for tag in tags {
        insert_tag(&pool, article_id, tag).await?; //~ nested_checkout
    }
    tx.commit().await?;
    Ok(())
}
