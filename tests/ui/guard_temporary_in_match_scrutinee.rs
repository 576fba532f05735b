// A temporary guard in a `match` scrutinee lives through every arm: `pool.get()?` is held while the
// `None` arm calls `create_tag(pool, ..)`, which checks out from the same r2d2 pool.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

fn create_tag(pool: &DbPool, name: &str) -> anyhow::Result<i32> {
    let mut conn = pool.get()?;
    let row = conn.query_one(
        "INSERT INTO tags (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING id",
        &[&name],
    )?;
    Ok(row.get(0))
}

/// Returns the id of the tag, creating it on first use.
pub fn tag_id(pool: &DbPool, name: &str) -> anyhow::Result<i32> {
    let name = name.trim().to_lowercase();
    match pool.get()?.query_opt("SELECT id FROM tags WHERE name = $1", &[&name])? {
        Some(row) => Ok(row.get(0)),
        None => create_tag(pool, &name), //~ nested_checkout
    }
}
