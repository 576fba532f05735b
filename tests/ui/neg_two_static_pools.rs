// Negative: two different static pools. `export_user` holds a connection from USERS_DB and calls
// `record_export`, which checks out from ANALYTICS_DB: a different pool, so no nested checkout.
use lazy_static::lazy_static;
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

type PgPool = Pool<PostgresConnectionManager<NoTls>>;

fn build_pool(var: &str) -> PgPool {
    let url = std::env::var(var).unwrap_or_else(|_| panic!("{var} is not set"));
    let manager = PostgresConnectionManager::new(url.parse().expect("database url"), NoTls);
    Pool::builder().max_size(8).build(manager).expect("postgres pool")
}

lazy_static! {
    static ref USERS_DB: PgPool = build_pool("USERS_DATABASE_URL");
    static ref ANALYTICS_DB: PgPool = build_pool("ANALYTICS_DATABASE_URL");
}

fn record_export(user_id: i64, bytes: usize) -> anyhow::Result<()> {
    let mut conn = ANALYTICS_DB.get()?;
    conn.execute(
        "INSERT INTO data_exports (user_id, bytes, at) VALUES ($1, $2, now())",
        &[&user_id, &(bytes as i64)],
    )?;
    Ok(())
}

pub fn export_user(user_id: i64) -> anyhow::Result<String> {
    let mut conn = USERS_DB.get()?;
    let row = conn.query_one(
        "SELECT row_to_json(u)::text FROM (SELECT id, email, name, created_at FROM users WHERE id = $1) u",
        &[&user_id],
    )?;
    let json: String = row.get(0);
    record_export(user_id, json.len())?;
    conn.execute("UPDATE users SET last_export_at = now() WHERE id = $1", &[&user_id])?;
    Ok(json)
}
