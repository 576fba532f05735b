use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

use crate::{ServiceError, Settings};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<PgConnection>>;

pub fn build_pool(settings: &Settings) -> Result<DbPool, diesel::r2d2::PoolError> {
    let manager = ConnectionManager::<PgConnection>::new(&settings.database_url);
    Pool::builder()
        .max_size(settings.pool_size)
        .connection_timeout(Duration::from_secs(10))
        .test_on_check_out(true)
        .build(manager)
}

/// Checks a connection out of the pool (blocks the calling thread: use inside `web::block`).
pub fn conn(pool: &DbPool) -> Result<DbConn, ServiceError> {
    pool.get().map_err(ServiceError::from)
}

/// Runs `f` on a connection of its own, returned to the pool when `f` is done.
pub fn with_conn<T, F>(pool: &DbPool, f: F) -> Result<T, ServiceError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ServiceError>,
{
    let mut c = conn(pool)?;
    f(&mut c)
}
