use deadpool_postgres::Pool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("insufficient funds in account {0}")]
    InsufficientFunds(Uuid),
    #[error("cannot transfer to the same account")]
    SameAccount,
    #[error(transparent)]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error(transparent)]
    Db(#[from] tokio_postgres::Error),
}

pub struct LedgerService {
    pool: Pool,
}

impl LedgerService {
    pub async fn transfer(&self, from: Uuid, to: Uuid, amount_cents: i64) -> Result<Uuid, TransferError> {
        if from == to {
            return Err(TransferError::SameAccount);
        }

        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;

        let row = tx
            .query_one("SELECT balance_cents FROM accounts WHERE id = $1 FOR UPDATE", &[&from])
            .await?;
        let balance: i64 = row.get(0);
        if balance < amount_cents {
            return Err(TransferError::InsufficientFunds(from));
        }

        tx.execute(
            "UPDATE accounts SET balance_cents = balance_cents - $2 WHERE id = $1",
            &[&from, &amount_cents],
        )
        .await?;
        tx.execute(
            "UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1",
            &[&to, &amount_cents],
        )
        .await?;

        let stmt = tx
            .prepare_cached("INSERT INTO transfers (from_account, to_account, amount_cents) VALUES ($1, $2, $3) RETURNING id")
            .await?;
        let transfer_id: Uuid = tx.query_one(&stmt, &[&from, &to, &amount_cents]).await?.get(0);

        tx.commit().await?;
        Ok(transfer_id)
    }
}
