use crate::DbPool;

pub fn is_overdrawn(pool: &DbPool, account: i64) -> Result<bool, Box<dyn std::error::Error>> {
    let mut conn = pool.get()?;
    let row = conn.query_one("SELECT balance < 0 FROM accounts WHERE id = $1", &[&account])?;
    Ok(row.get(0))
}
