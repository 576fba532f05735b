use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use sqlx::PgPool;

#[derive(Debug, sqlx::FromRow)]
pub struct Payout {
    pub id: i64,
    pub merchant_id: i64,
    pub amount_cents: i64,
}

/// Streams every payout since `since` and flags those whose ledger entries do not add up.
pub async fn reconcile_payouts(pool: &PgPool, since: DateTime<Utc>) -> anyhow::Result<u64> {
    let mut payouts = sqlx::query_as::<_, Payout>(
        "SELECT id, merchant_id, amount_cents FROM payouts WHERE created_at >= $1 ORDER BY id",
    )
    .bind(since)
    .fetch(pool);

    let mut mismatched = 0;
    while let Some(payout) = payouts.try_next().await? {
        let settled = settled_cents(pool, payout.id).await?; //~ nested_checkout
        if settled != payout.amount_cents {
            tracing::warn!("payout {} of merchant {} is off by {}", payout.id, payout.merchant_id, payout.amount_cents - settled);
            sqlx::query("UPDATE payouts SET status = 'mismatch' WHERE id = $1")
                .bind(payout.id)
                .execute(pool) //~ nested_checkout
                .await?;
            mismatched += 1;
        }
    }
    Ok(mismatched)
}

/// Same check for the nightly report: the whole page is loaded first, so the connection is back
/// in the pool before the per-payout lookups start.
pub async fn mismatch_report(pool: &PgPool, since: DateTime<Utc>) -> anyhow::Result<Vec<i64>> {
    let payouts = sqlx::query_as::<_, Payout>(
        "SELECT id, merchant_id, amount_cents FROM payouts WHERE created_at >= $1 ORDER BY id LIMIT 5000",
    )
    .bind(since)
    .fetch_all(pool)
    .await?;

    let mut ids = Vec::new();
    for payout in payouts {
        if settled_cents(pool, payout.id).await? != payout.amount_cents {
            ids.push(payout.id);
        }
    }
    Ok(ids)
}

async fn settled_cents(pool: &PgPool, payout_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(SUM(amount_cents), 0)::BIGINT FROM ledger_entries WHERE payout_id = $1",
    )
    .bind(payout_id)
    .fetch_one(pool)
    .await
}
