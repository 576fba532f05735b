// The team's `db!` macro wraps the checkout. poolcheck expands workspace `macro_rules!` at
// their call sites: `conn` from `db!` is held while `count_active_users` takes another
// connection. The two sequential `with_db!` blocks each drop their connection at the block's
// end, so they do not nest.
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

macro_rules! db {
    ($pool:expr) => {
        $pool.get().expect("postgres connection")
    };
}

macro_rules! with_db {
    ($pool:expr, |$conn:ident| $body:expr) => {{
        let mut $conn = $pool.get().expect("postgres connection");
        $body
    }};
}

fn count_active_users(pool: &DbPool) -> i64 {
    let mut conn = db!(pool);
    conn.query_one("SELECT count(*) FROM users WHERE active", &[])
        .map(|row| row.get(0))
        .unwrap_or(0)
}

pub fn snapshot_metrics(pool: &DbPool) -> anyhow::Result<i64> {
    let mut conn = db!(pool);
    let active = count_active_users(pool); //~ nested_checkout
    conn.execute("INSERT INTO metrics (active_users) VALUES ($1)", &[&active])?;
    Ok(active)
}

pub fn table_sizes(pool: &DbPool) -> (i64, i64) {
    let users = with_db!(pool, |c| c.query_one("SELECT count(*) FROM users", &[]).map(|r| r.get(0)).unwrap_or(0));
    let orders = with_db!(pool, |c| c.query_one("SELECT count(*) FROM orders", &[]).map(|r| r.get(0)).unwrap_or(0));
    (users, orders)
}
