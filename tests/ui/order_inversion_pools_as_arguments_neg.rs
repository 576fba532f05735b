// A copy helper that takes its two pools as arguments: `copy_rows(a, b)` and `copy_rows(b, a)`
// are the same code called with different pools. Which pools a caller passes is the caller's
// business; poolcheck compares orders only for pools that are one instance everywhere.
use sqlx::PgPool;

async fn count(pool: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT count(*) FROM rows").fetch_one(pool).await
}

pub async fn copy_rows(from: &PgPool, to: &PgPool) -> sqlx::Result<i64> {
    let mut tx = from.begin().await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM rows").fetch_one(&mut *tx).await?;
    let already = count(to).await?; //~ guard_held_across_await
    tx.commit().await?;
    Ok(n - already)
}
