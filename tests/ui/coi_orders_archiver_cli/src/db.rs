// Program-wide pools for the primary and archive databases (once_cell Lazy statics) and the shared row type.
use chrono::{DateTime, Utc};
use once_cell::sync::Lazy;
use sqlx::{postgres::PgPoolOptions, PgPool};

pub static PRIMARY: Lazy<PgPool> = Lazy::new(|| lazy_pool("DATABASE_URL"));
pub static ARCHIVE: Lazy<PgPool> = Lazy::new(|| lazy_pool("ARCHIVE_DATABASE_URL"));

fn lazy_pool(var: &str) -> PgPool {
    let url = std::env::var(var).unwrap_or_else(|_| panic!("{var} must be set"));
    PgPoolOptions::new()
        .max_connections(4)
        .connect_lazy(&url)
        .expect("invalid postgres url")
}

#[derive(Debug, sqlx::FromRow)]
pub struct OrderRecord {
    pub id: i64,
    pub customer_id: i64,
    pub total_cents: i64,
    pub status: String,
    pub created_at: DateTime<Utc>,
}
