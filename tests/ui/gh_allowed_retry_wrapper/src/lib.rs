pub mod retry;

use sqlx::PgPool;

pub struct LedgerSync {
    db: PgPool,
    bank: reqwest::Client,
}

impl LedgerSync {
    /// The posting is retried on serialization failures inside the same transaction.
    pub async fn post_entry(&self, account: i64, cents: i64) -> anyhow::Result<()> {
        let mut tx = self.db.begin().await?;
        retry::with_retry(3, || async {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            Ok::<(), anyhow::Error>(())
        })
        .await?;
        sqlx::query("INSERT INTO entries (account, cents) VALUES ($1, $2)")
            .bind(account)
            .bind(cents)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The bank's balance is fetched while the reconciliation transaction is open.
    pub async fn reconcile(&self, account: i64) -> anyhow::Result<i64> {
        let mut tx = self.db.begin().await?;
        let ours: i64 = sqlx::query_scalar("SELECT sum(cents) FROM entries WHERE account = $1")
            .bind(account)
            .fetch_one(&mut *tx)
            .await?;
        let theirs: i64 = self //~ guard_held_across_await
            .bank
            .get(format!("https://bank.example/accounts/{account}/balance"))
            .send()
            .await?
            .json()
            .await?;
        sqlx::query("INSERT INTO reconciliations (account, delta) VALUES ($1, $2)")
            .bind(account)
            .bind(theirs - ours)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(theirs - ours)
    }
}
