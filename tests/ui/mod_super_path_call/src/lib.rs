// Calls through `super::`: `billing::invoices::issue` holds a bb8 connection and calls
// `super::queries::customer_credit(pool, ..)`, which checks out from the same pool.
pub mod billing;

pub type PgPool = bb8::Pool<bb8_postgres::PostgresConnectionManager<tokio_postgres::NoTls>>;
