// Process-wide state: one r2d2 postgres pool and one r2d2 redis pool, shared by all actix workers.
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type PgPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
pub type RedisPool = r2d2::Pool<redis::Client>;

pub struct AppState {
    pub pg: PgPool,
    pub redis: RedisPool,
}
