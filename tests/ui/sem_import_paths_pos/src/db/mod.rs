mod events;
pub mod users;

use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub use self::events::record_event;

pub type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
