use crate::DbPool;

pub struct Shift {
    pub employee_id: i64,
    pub day: i16,
    pub hours: i16,
}

pub fn load_schedule(pool: &DbPool, week: i32) -> anyhow::Result<Vec<Shift>> {
    let mut conn = pool.get()?;
    let rows = conn.query("SELECT employee_id, day, hours FROM shifts WHERE week = $1", &[&week])?;
    Ok(rows
        .iter()
        .map(|r| Shift { employee_id: r.get(0), day: r.get(1), hours: r.get(2) })
        .collect())
}
