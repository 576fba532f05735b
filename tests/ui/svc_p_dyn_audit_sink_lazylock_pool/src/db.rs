use std::sync::LazyLock;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub static DB: LazyLock<PgPool> = LazyLock::new(|| {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    PgPoolOptions::new()
        .max_connections(16)
        .connect_lazy(&url)
        .expect("invalid DATABASE_URL")
});
