//! A fleet agent: its platform layer is chosen with `cfg_attr(.., path = ..)`, and its target
//! triples live in `src/target/` (a module folder, not cargo's build output).
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

pub mod codec;
pub mod target;

#[cfg_attr(unix, path = "sys/unix.rs")]
#[cfg_attr(windows, path = "sys/windows.rs")]
mod sys;

pub type Db = Pool<SqliteConnectionManager>;

pub fn record_boot(db: &Db) -> anyhow::Result<()> {
    let conn = db.get()?;
    conn.execute("INSERT INTO boots (at) VALUES (datetime('now'))", [])?;
    sys::flush_journal(db)?; //~ nested_checkout
    Ok(())
}
