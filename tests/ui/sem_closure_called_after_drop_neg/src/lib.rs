use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

pub fn settle_batch(pool: &DbPool, batch_id: i64) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    let mut tx = conn.transaction()?;
    let rows = tx.query(
        "UPDATE settlements SET settled_at = now() WHERE batch_id = $1 AND settled_at IS NULL RETURNING merchant_id, amount_cents",
        &[&batch_id],
    )?;
    tx.execute("UPDATE settlement_batches SET closed_at = now() WHERE id = $1", &[&batch_id])?;
    tx.commit()?;

    let notify = |merchant_id: i64, amount_cents: i64| notify_merchant(pool, batch_id, merchant_id, amount_cents);
    let payouts: Vec<(i64, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    drop(conn);

    for (merchant_id, amount_cents) in &payouts {
        notify(*merchant_id, *amount_cents)?;
    }
    Ok(payouts.len())
}

fn notify_merchant(pool: &DbPool, batch_id: i64, merchant_id: i64, amount_cents: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute(
        "INSERT INTO merchant_notifications (merchant_id, kind, payload) VALUES ($1, 'settlement', json_build_object('batch', $2::bigint, 'amount_cents', $3::bigint))",
        &[&merchant_id, &batch_id, &amount_cents],
    )?;
    Ok(())
}
