// Negative: the connection is released with `drop(conn)` before `record_digest` checks out again,
// so this function never holds two connections of the pool at once.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

fn record_digest(pool: &DbPool, user_id: i64, titles: &[String]) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO digests (user_id, body, created_at) VALUES ($1, $2, now())",
        &[&user_id, &titles.join("\n")],
    )?;
    Ok(())
}

pub fn weekly_digest(pool: &DbPool, user_id: i64) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let rows = conn.query(
        "SELECT p.title FROM posts p JOIN follows f ON f.author_id = p.author_id
          WHERE f.follower_id = $1 AND p.created_at > now() - interval '7 days'
          ORDER BY p.created_at DESC LIMIT 20",
        &[&user_id],
    )?;
    let titles: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    drop(conn);
    if !titles.is_empty() {
        record_digest(pool, user_id, &titles)?;
    }
    Ok(titles.len())
}
