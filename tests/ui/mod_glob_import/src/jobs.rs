use crate::repo::*;
use crate::DbPool;

pub fn publish_week(pool: &DbPool, week: i32) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    conn.execute("UPDATE schedule_weeks SET state = 'publishing' WHERE week = $1", &[&week])?;
    let shifts = load_schedule(pool, week)?; //~ nested_checkout
    for shift in &shifts {
        conn.execute(
            "INSERT INTO published_shifts (week, employee_id, day, hours) VALUES ($1, $2, $3, $4)",
            &[&week, &shift.employee_id, &shift.day, &shift.hours],
        )?;
    }
    conn.execute("UPDATE schedule_weeks SET state = 'published' WHERE week = $1", &[&week])?;
    Ok(shifts.len())
}
