use crate::Db;

pub fn store_frame(db: &Db, id: i64, bytes: &[u8]) -> anyhow::Result<()> {
    let conn = db.get()?;
    conn.execute("INSERT INTO frames (id, bytes) VALUES (?1, ?2)", (id, bytes))?;
    crate::record_boot(db)?; //~ nested_checkout
    Ok(())
}
