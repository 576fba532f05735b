// deadpool `timeout_get` is a checkout like `get`: `apply_refund` holds a client taken with a
// wait timeout and awaits `ledger_balance(&self.pool, ..)`, which checks out again from `self.pool`.
use deadpool_postgres::{Pool, Timeouts};

pub struct RefundService {
    pool: Pool,
}

async fn ledger_balance(pool: &Pool, account_id: i64) -> anyhow::Result<i64> {
    let client = pool.get().await?;
    let row = client
        .query_one(
            "SELECT coalesce(sum(amount_cents), 0)::bigint FROM ledger WHERE account_id = $1",
            &[&account_id],
        )
        .await?;
    Ok(row.get(0))
}

impl RefundService {
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    pub async fn apply_refund(&self, account_id: i64, amount_cents: i64) -> anyhow::Result<()> {
        let mut client = self.pool.timeout_get(&Timeouts::wait_millis(3_000)).await?;
        let balance = ledger_balance(&self.pool, account_id).await?; //~ nested_checkout
        if balance < amount_cents {
            anyhow::bail!("refund of {amount_cents} exceeds balance {balance}");
        }
        let tx = client.transaction().await?;
        tx.execute(
            "INSERT INTO ledger (account_id, amount_cents, kind) VALUES ($1, $2, 'refund')",
            &[&account_id, &-amount_cents],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
