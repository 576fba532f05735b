// A guard taken in a loop body is held for the rest of that iteration: each job holds `client`
// while `notify_owner(pool, ..)` checks out again from the same deadpool pool.
use deadpool_postgres::Pool;

async fn notify_owner(pool: &Pool, job_id: i64, state: &str) -> anyhow::Result<()> {
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO notifications (user_id, body)
             SELECT owner_id, 'job ' || id || ' is ' || $2 FROM jobs WHERE id = $1",
            &[&job_id, &state],
        )
        .await?;
    Ok(())
}

pub async fn expire_stale_jobs(pool: &Pool, job_ids: &[i64]) -> anyhow::Result<usize> {
    let mut expired = 0;
    for job_id in job_ids {
        let client = pool.get().await?;
        let n = client
            .execute(
                "UPDATE jobs SET state = 'expired' WHERE id = $1 AND heartbeat_at < now() - interval '10 minutes'",
                &[job_id],
            )
            .await?;
        if n == 1 {
            notify_owner(pool, *job_id, "expired").await?; //~ nested_checkout
            expired += 1;
        }
    }
    Ok(expired)
}
