use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::PgPool;
use tokio::sync::mpsc;
use tracing::{info, warn};

const MAX_LOCK_ATTEMPTS: u32 = 6;

#[derive(Debug, sqlx::FromRow)]
struct Payout {
    id: i64,
    account_id: i64,
    amount_cents: i64,
}

pub struct PayoutSettlementWorker {
    pool: PgPool,
    jobs: mpsc::Receiver<i64>,
}

impl PayoutSettlementWorker {
    pub async fn run(mut self) {
        while let Some(payout_id) = self.jobs.recv().await {
            if let Err(err) = self.settle(payout_id).await {
                warn!(payout_id, error = ?err, "payout settlement failed");
            }
        }
    }

    async fn settle(&self, payout_id: i64) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await.context("begin settlement tx")?;

        let payout: Payout = sqlx::query_as(
            "SELECT id, account_id, amount_cents FROM payouts WHERE id = $1 AND status = 'approved' FOR UPDATE",
        )
        .bind(payout_id)
        .fetch_one(&mut *tx)
        .await?;

        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                .bind(payout.account_id)
                .fetch_one(&mut *tx)
                .await?;
            if locked {
                break;
            }
            if attempt >= MAX_LOCK_ATTEMPTS {
                bail!("account {} is busy, giving up on payout {}", payout.account_id, payout.id);
            }
            let backoff = Duration::from_millis(50 * 2u64.pow(attempt));
            tokio::time::sleep(backoff).await; //~ guard_held_across_await
        }

        sqlx::query("UPDATE accounts SET balance_cents = balance_cents - $2 WHERE id = $1")
            .bind(payout.account_id)
            .bind(payout.amount_cents)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE payouts SET status = 'settled', settled_at = now() WHERE id = $1")
            .bind(payout.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        info!(payout_id, attempts = attempt, "payout settled");
        Ok(())
    }
}
