// A helper generic over `A: Acquire<'a, Database = Postgres>` checks out when it is given `&Pool`:
// `conn.acquire()` on `&PgPool` takes a connection. `update_post` holds a transaction from the same
// pool and passes `&self.pool` instead of `&mut tx`.
use sqlx::{Acquire, PgPool, Postgres};

pub async fn set_tags<'a, A>(conn: A, post_id: i64, tags: &[String]) -> Result<(), sqlx::Error>
where
    A: Acquire<'a, Database = Postgres>,
{
    let mut conn = conn.acquire().await?;
    sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
        .bind(post_id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO post_tags (post_id, tag) VALUES ($1, $2)")
            .bind(post_id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub struct PostRepo {
    pool: PgPool,
}

impl PostRepo {
    pub async fn update_post(&self, post_id: i64, body: &str, tags: &[String]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE posts SET body = $2, edited_at = now() WHERE id = $1")
            .bind(post_id)
            .bind(body)
            .execute(&mut *tx)
            .await?;
        set_tags(&self.pool, post_id, tags).await?; //~ nested_checkout
        tx.commit().await?;
        Ok(())
    }
}
