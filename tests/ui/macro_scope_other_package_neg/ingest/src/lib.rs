//! The ingest service's own `conn!`: a checkout from its pool. It is not exported, and the
//! `export` service beside it (another package, not in a workspace with this one) has a
//! `conn!` of its own from a crate outside the folder.
use once_cell::sync::Lazy;
use r2d2_postgres::{postgres::NoTls, r2d2, PostgresConnectionManager};

pub type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

static POOL: Lazy<Pool> = Lazy::new(|| {
    let manager = PostgresConnectionManager::new("host=db user=ingest".parse().unwrap(), NoTls);
    r2d2::Pool::builder().max_size(16).build(manager).expect("ingest pool")
});

macro_rules! conn {
    () => {
        POOL.get().expect("ingest database")
    };
}

pub fn record(line: &str) -> u64 {
    let mut c = conn!();
    c.execute("INSERT INTO lines (body) VALUES ($1)", &[&line]).unwrap_or(0)
}
