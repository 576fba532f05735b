// Negative: the only checkout is `pool().get()`. `POOL.get()` is `OnceLock::get`, `SETTINGS.get()`
// is `OnceCell::get`, and `rates.get(&currency)` is `HashMap::get`: none of them takes a connection.
use std::collections::HashMap;
use std::sync::OnceLock;

use once_cell::sync::OnceCell;
use r2d2::Pool;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type DbPool = Pool<PostgresConnectionManager<NoTls>>;

pub struct Settings {
    pub default_currency: String,
}

static POOL: OnceLock<DbPool> = OnceLock::new();
static SETTINGS: OnceCell<Settings> = OnceCell::new();

fn pool() -> &'static DbPool {
    POOL.get().expect("pool initialised at startup")
}

pub fn order_total_in(order_id: i64, rates: &HashMap<String, f64>, currency: Option<&str>) -> anyhow::Result<f64> {
    let mut conn = pool().get()?;
    let cents: i64 = conn
        .query_one("SELECT total_cents FROM orders WHERE id = $1", &[&order_id])?
        .get(0);
    let settings = SETTINGS.get().expect("settings loaded at startup");
    let currency = currency.unwrap_or(&settings.default_currency);
    let rate = rates.get(currency).copied().unwrap_or(1.0);
    conn.execute(
        "UPDATE orders SET display_currency = $2 WHERE id = $1",
        &[&order_id, &currency],
    )?;
    Ok(cents as f64 / 100.0 * rate)
}
