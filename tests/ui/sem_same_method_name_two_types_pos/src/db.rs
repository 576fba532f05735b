use once_cell::sync::Lazy;
use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub static DB: Lazy<DbPool> = Lazy::new(|| {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    let manager = PostgresConnectionManager::new(url.parse().expect("valid DATABASE_URL"), NoTls);
    r2d2::Pool::builder()
        .max_size(16)
        .build(manager)
        .expect("database pool")
});
