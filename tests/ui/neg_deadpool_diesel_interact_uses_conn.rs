// Negative: deadpool-diesel `interact` runs the closure on the held connection, and the closure only
// uses the `conn` it is given (and helpers taking `&mut PgConnection`): no second checkout.
use deadpool_diesel::postgres::Pool;
use diesel::prelude::*;

use crate::schema::{comments, posts};

fn comment_count(conn: &mut PgConnection, post_id: i32) -> QueryResult<i64> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .filter(comments::hidden.eq(false))
        .count()
        .get_result(conn)
}

pub async fn hide_comment(pool: &Pool, comment_id: i32) -> anyhow::Result<i64> {
    let conn = pool.get().await?;
    let remaining = conn
        .interact(move |conn| {
            conn.transaction(|conn| {
                let post_id: i32 = diesel::update(comments::table.find(comment_id))
                    .set(comments::hidden.eq(true))
                    .returning(comments::post_id)
                    .get_result(conn)?;
                let remaining = comment_count(conn, post_id)?;
                diesel::update(posts::table.find(post_id))
                    .set(posts::comment_count.eq(remaining as i32))
                    .execute(conn)?;
                Ok::<_, diesel::result::Error>(remaining)
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!("interact failed: {e}"))??;
    Ok(remaining)
}
