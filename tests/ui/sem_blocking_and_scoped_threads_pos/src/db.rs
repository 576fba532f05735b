use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub fn connect(url: &str, size: u32) -> anyhow::Result<DbPool> {
    let manager = PostgresConnectionManager::new(url.parse()?, NoTls);
    Ok(r2d2::Pool::builder().max_size(size).build(manager)?)
}
