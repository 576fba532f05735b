// Shared application state: one bb8 postgres pool and one bb8 redis pool for the whole process.
use bb8_postgres::PostgresConnectionManager;
use bb8_redis::RedisConnectionManager;
use tokio_postgres::NoTls;

pub type PgPool = bb8::Pool<PostgresConnectionManager<NoTls>>;
pub type RedisPool = bb8::Pool<RedisConnectionManager>;

pub struct AppState {
    pub pg: PgPool,
    pub redis: RedisPool,
}
