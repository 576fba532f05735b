#[macro_use]
mod macros;
pub mod folders;

use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::{postgres, PostgresConnectionManager};

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("pool: {0}")]
    Pool(r2d2::Error),
    #[error("postgres: {0}")]
    Db(#[from] postgres::Error),
}
