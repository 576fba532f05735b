// Calls through a glob import: `jobs::publish_week` holds a connection and calls `load_schedule`,
// brought in by `use crate::repo::*;`, which checks out from the same r2d2 pool.
pub mod jobs;
pub mod repo;

pub type DbPool = r2d2::Pool<r2d2_postgres::PostgresConnectionManager<r2d2_postgres::postgres::NoTls>>;
