use lazy_static::lazy_static;
use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

fn build(var: &str, max_size: u32) -> DbPool {
    let url = std::env::var(var).unwrap_or_else(|_| panic!("{var} must be set"));
    let manager = PostgresConnectionManager::new(url.parse().expect("valid database url"), NoTls);
    r2d2::Pool::builder()
        .max_size(max_size)
        .build(manager)
        .expect("database pool")
}

lazy_static! {
    /// Writes go to the primary.
    pub static ref PRIMARY: DbPool = build("DATABASE_URL", 8);
    /// Read-heavy queries go to the streaming replica.
    pub static ref REPLICA: DbPool = build("REPLICA_DATABASE_URL", 32);
}
