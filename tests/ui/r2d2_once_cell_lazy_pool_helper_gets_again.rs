// r2d2 pool in a `once_cell::sync::Lazy` static (derefs to the pool): `publish_release` holds a
// connection from DB and calls `notify_watchers`, which checks out again from DB.
use once_cell::sync::Lazy;
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

static DB: Lazy<Pool<PostgresConnectionManager<NoTls>>> = Lazy::new(|| {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let manager = PostgresConnectionManager::new(url.parse().expect("database url"), NoTls);
    Pool::builder().max_size(8).build(manager).expect("postgres pool")
});

fn notify_watchers(package_id: i64, version: &str) -> anyhow::Result<u64> {
    let mut conn = DB.get()?;
    let queued = conn.execute(
        "INSERT INTO notifications (user_id, body)
         SELECT user_id, $2 FROM watchers WHERE package_id = $1",
        &[&package_id, &format!("new release {version}")],
    )?;
    Ok(queued)
}

pub fn publish_release(package_id: i64, version: &str, checksum: &str) -> anyhow::Result<u64> {
    let mut conn = DB.get()?;
    conn.execute(
        "INSERT INTO releases (package_id, version, checksum) VALUES ($1, $2, $3)",
        &[&package_id, &version, &checksum],
    )?;
    let notified = notify_watchers(package_id, version)?; //~ nested_checkout
    conn.execute(
        "UPDATE packages SET latest_version = $2 WHERE id = $1",
        &[&package_id, &version],
    )?;
    Ok(notified)
}
