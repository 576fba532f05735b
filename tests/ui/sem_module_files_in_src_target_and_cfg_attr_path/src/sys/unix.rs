use crate::Db;

pub fn flush_journal(db: &Db) -> anyhow::Result<()> {
    let conn = db.get()?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}
