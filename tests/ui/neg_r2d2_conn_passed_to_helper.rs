// Negative: the held connection is passed down (`&mut conn`) instead of the pool; the helper runs
// its queries on that connection and never touches the pool.
use r2d2::Pool;
use r2d2_postgres::postgres::{Client, Error as PgError, NoTls};
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

fn load_permissions(conn: &mut Client, role_id: i32) -> Result<Vec<String>, PgError> {
    let rows = conn.query(
        "SELECT p.name FROM permissions p JOIN role_permissions rp ON rp.permission_id = p.id
          WHERE rp.role_id = $1",
        &[&role_id],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub fn authorize(pool: &DbPool, user_id: i64, action: &str) -> anyhow::Result<bool> {
    let mut conn = pool.get()?;
    let role_id: i32 = conn
        .query_one("SELECT role_id FROM users WHERE id = $1", &[&user_id])?
        .get(0);
    let permissions = load_permissions(&mut conn, role_id)?;
    let allowed = permissions.iter().any(|p| p == action || p == "*");
    if !allowed {
        conn.execute(
            "INSERT INTO denied_requests (user_id, action) VALUES ($1, $2)",
            &[&user_id, &action],
        )?;
    }
    Ok(allowed)
}
