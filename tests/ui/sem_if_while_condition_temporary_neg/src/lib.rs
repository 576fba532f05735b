use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// Records that `user_id` saw the experiment, if the experiment is running.
pub fn record_exposure(pool: &DbPool, experiment: &str, user_id: i64) -> anyhow::Result<bool> {
    if pool
        .get()?
        .query_opt("SELECT 1 FROM experiments WHERE name = $1 AND running", &[&experiment])?
        .is_some()
    {
        insert_exposure(pool, experiment, user_id)?;
        return Ok(true);
    }
    Ok(false)
}

/// Drains the exposure queue into the rollup table, one batch at a time.
pub fn drain_exposures(pool: &DbPool, batch: i64) -> anyhow::Result<u64> {
    let mut drained = 0;
    while pool
        .get()?
        .query_one("SELECT count(*) FROM exposure_queue", &[])?
        .get::<_, i64>(0)
        > 0
    {
        drained += roll_up_batch(pool, batch)?;
    }
    Ok(drained)
}

fn insert_exposure(pool: &DbPool, experiment: &str, user_id: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO exposure_queue (experiment, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&experiment, &user_id],
    )?;
    Ok(())
}

fn roll_up_batch(pool: &DbPool, batch: i64) -> anyhow::Result<u64> {
    let mut conn = pool.get()?;
    let n = conn.execute(
        "WITH moved AS (DELETE FROM exposure_queue WHERE id IN (SELECT id FROM exposure_queue ORDER BY id LIMIT $1) RETURNING experiment, user_id) \
         INSERT INTO exposures (experiment, user_id) SELECT experiment, user_id FROM moved ON CONFLICT DO NOTHING",
        &[&batch],
    )?;
    Ok(n)
}
