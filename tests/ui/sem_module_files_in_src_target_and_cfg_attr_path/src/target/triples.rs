use crate::Db;

/// Whether the fleet database knows this target triple.
pub fn known_triple(db: &Db, triple: &str) -> anyhow::Result<bool> {
    let conn = db.get()?;
    let n: i64 = conn.query_row("SELECT count(*) FROM triples WHERE name = ?1", [triple], |r| r.get(0))?;
    if n == 0 {
        let aliases = db.get()?; //~ nested_checkout
        let m: i64 = aliases.query_row("SELECT count(*) FROM aliases WHERE name = ?1", [triple], |r| r.get(0))?;
        return Ok(m > 0);
    }
    Ok(true)
}
