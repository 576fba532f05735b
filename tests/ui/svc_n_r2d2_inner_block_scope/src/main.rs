//! Cron job: revokes API keys older than the rotation period and tells their owners.

use r2d2::Pool;
use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

type PgPool = Pool<PostgresConnectionManager<NoTls>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn revoke(pool: &PgPool, key_id: i64) -> Result<(), BoxError> {
    let mut c = pool.get()?;
    c.execute("UPDATE api_keys SET revoked_at = now() WHERE id = $1", &[&key_id])?;
    Ok(())
}

fn queue_rotation_notice(pool: &PgPool, email: &str, key_id: i64) -> Result<(), BoxError> {
    let mut c = pool.get()?;
    c.execute(
        "INSERT INTO outbound_email (recipient, template, params) VALUES ($1, 'key_rotated', json_build_object('key_id', $2::BIGINT))",
        &[&email, &key_id],
    )?;
    Ok(())
}

fn rotate_api_keys(pool: &PgPool, older_than_days: i32) -> Result<usize, BoxError> {
    let stale: Vec<(i64, String)> = {
        let mut conn = pool.get()?;
        let rows = conn.query(
            "SELECT k.id, u.email FROM api_keys k JOIN users u ON u.id = k.owner_id \
             WHERE k.revoked_at IS NULL AND k.created_at < now() - make_interval(days => $1)",
            &[&older_than_days],
        )?;
        rows.iter().map(|r| (r.get(0), r.get(1))).collect()
    };

    for (key_id, email) in &stale {
        revoke(pool, *key_id)?;
        queue_rotation_notice(pool, email, *key_id)?;
        log::info!("rotated key {key_id} of {email}");
    }
    Ok(stale.len())
}

fn main() -> Result<(), BoxError> {
    let url = std::env::var("DATABASE_URL")?;
    let manager = PostgresConnectionManager::new(url.parse()?, NoTls);
    let pool = Pool::builder().max_size(4).build(manager)?;
    let n = rotate_api_keys(&pool, 90)?;
    println!("rotated {n} keys");
    Ok(())
}
