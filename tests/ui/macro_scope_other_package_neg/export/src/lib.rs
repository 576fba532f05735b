//! Nightly export. `pgkit::conn!` opens a dedicated (unpooled) connection for `COPY`; it is
//! not the ingest service's macro of the same name and takes nothing from `POOL`.
use once_cell::sync::Lazy;
use pgkit::conn;
use r2d2_postgres::{postgres::NoTls, r2d2, PostgresConnectionManager};

pub type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

static POOL: Lazy<Pool> = Lazy::new(|| {
    let manager = PostgresConnectionManager::new("host=db user=export".parse().unwrap(), NoTls);
    r2d2::Pool::builder().max_size(4).build(manager).expect("export pool")
});

pub fn run(out: &mut dyn std::io::Write) -> Result<u64, Box<dyn std::error::Error>> {
    let mut db = POOL.get()?;
    let ids: Vec<i64> = db
        .query("SELECT id FROM batches WHERE exported = false", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut copy = conn!();
    let n = copy.copy_out("COPY lines TO STDOUT")?.read_to_end_into(out)?;
    db.execute("UPDATE batches SET exported = true WHERE id = ANY($1)", &[&ids])?;
    Ok(n)
}
