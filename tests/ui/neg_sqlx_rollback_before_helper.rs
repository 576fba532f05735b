// Negative: on the failure path `tx.rollback()` consumes the transaction before
// `report_failure(&pool, ..)` queries the pool; on the success path the pool is not touched.
use sqlx::PgPool;

async fn report_failure(pool: &PgPool, batch_id: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payout_batches SET state = 'failed', failure = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(reason)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn run_payout_batch(pool: PgPool, batch_id: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let paid = sqlx::query(
        "UPDATE payouts SET state = 'paid', paid_at = now() WHERE batch_id = $1 AND state = 'approved'",
    )
    .bind(batch_id)
    .execute(&mut *tx)
    .await;
    let paid = match paid {
        Ok(done) => done.rows_affected(),
        Err(err) => {
            tx.rollback().await?;
            report_failure(&pool, batch_id, &err.to_string()).await?;
            return Err(err);
        }
    };
    sqlx::query("UPDATE payout_batches SET state = 'done', paid = $2 WHERE id = $1")
        .bind(batch_id)
        .bind(paid as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(paid)
}
