use super::Pool;

pub fn record_event(pool: &Pool, user_id: i64, kind: &str) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO user_events (user_id, kind) VALUES ($1, $2)",
        &[&user_id, &kind],
    )?;
    Ok(())
}
