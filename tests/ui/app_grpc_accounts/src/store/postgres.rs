use async_trait::async_trait;
use chrono::{Duration, Utc};
use sqlx::{PgConnection, PgPool};
use tracing::{info, instrument};
use uuid::Uuid;

use super::{Account, AccountStore, NewAccount, StoreError, TransferCmd, TransferOutcome};

const ACCOUNT_COLUMNS: &str = "id, owner, currency, balance_cents, tier";

pub struct PgStore {
    pool: PgPool,
    velocity_window: Duration,
    max_transfers_per_window: i64,
}

impl PgStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool, velocity_window: Duration::minutes(5), max_transfers_per_window: 50 }
    }

    pub fn with_velocity_limit(mut self, window: Duration, max: i64) -> Self {
        self.velocity_window = window;
        self.max_transfers_per_window = max;
        self
    }
}

async fn lock_account(conn: &mut PgConnection, id: Uuid) -> Result<Account, StoreError> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE");
    sqlx::query_as::<_, Account>(&sql).bind(id).fetch_optional(conn).await?.ok_or(StoreError::NotFound(id))
}

async fn find_replay(conn: &mut PgConnection, key: &str) -> Result<Option<TransferOutcome>, StoreError> {
    let row: Option<(Uuid, i64)> = sqlx::query_as("SELECT id, from_balance_cents FROM transfers WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(transfer_id, from_balance_cents)| TransferOutcome { transfer_id, from_balance_cents, replayed: true }))
}

#[async_trait]
impl AccountStore for PgStore {
    #[instrument(skip(self, new), fields(owner = %new.owner))]
    async fn open_account(&self, new: NewAccount) -> Result<Account, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM accounts WHERE owner = $1 AND currency = $2)")
            .bind(&new.owner)
            .bind(&new.currency)
            .fetch_one(&mut *conn)
            .await?;
        if taken {
            return Err(StoreError::AlreadyExists);
        }
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO accounts (id, owner, currency, tier, balance_cents) VALUES ($1, $2, $3, $4, 0) RETURNING id",
        )
        .bind(Uuid::new_v4())
        .bind(&new.owner)
        .bind(&new.currency)
        .bind(new.tier)
        .fetch_one(&mut *conn)
        .await?;
        info!(%id, "account opened");
        // Read it back through the one query that builds an `Account`.
        self.get_account(id).await?.ok_or(StoreError::NotFound(id)) //~ nested_checkout
    }

    async fn get_account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
        Ok(sqlx::query_as::<_, Account>(&sql).bind(id).fetch_optional(&self.pool).await?)
    }

    #[instrument(skip(self, cmd), fields(from = %cmd.from, to = %cmd.to, amount = cmd.amount_cents))]
    async fn transfer(&self, cmd: TransferCmd) -> Result<TransferOutcome, StoreError> {
        if cmd.amount_cents <= 0 || cmd.from == cmd.to {
            return Err(StoreError::Invalid("a transfer moves a positive amount between two accounts".into()));
        }
        let mut tx = self.pool.begin().await?;
        if let Some(done) = find_replay(&mut tx, &cmd.idempotency_key).await? {
            return Ok(done);
        }
        // Lock both rows in id order so two opposite transfers cannot deadlock in Postgres.
        let (first, second) = if cmd.from < cmd.to { (cmd.from, cmd.to) } else { (cmd.to, cmd.from) };
        let a = lock_account(&mut tx, first).await?;
        let b = lock_account(&mut tx, second).await?;
        let (from, to) = if a.id == cmd.from { (a, b) } else { (b, a) };
        if from.currency != to.currency {
            return Err(StoreError::CurrencyMismatch);
        }
        if from.balance_cents < cmd.amount_cents {
            return Err(StoreError::InsufficientFunds);
        }

        let since = Utc::now() - self.velocity_window;
        let recent: i64 = sqlx::query_scalar("SELECT count(*) FROM transfers WHERE from_id = $1 AND created_at > $2")
            .bind(from.id)
            .bind(since)
            .fetch_one(&self.pool) //~ nested_checkout
            .await?;
        if recent >= self.max_transfers_per_window {
            return Err(StoreError::VelocityExceeded);
        }

        let transfer_id = Uuid::new_v4();
        let from_balance: i64 = sqlx::query_scalar("UPDATE accounts SET balance_cents = balance_cents - $2 WHERE id = $1 RETURNING balance_cents")
            .bind(from.id)
            .bind(cmd.amount_cents)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("UPDATE accounts SET balance_cents = balance_cents + $2 WHERE id = $1")
            .bind(to.id)
            .bind(cmd.amount_cents)
            .execute(&mut *tx)
            .await?;
        {
            // The ledger rows go in a savepoint: a duplicate key means a concurrent replay.
            let mut sp = tx.begin().await?;
            sqlx::query(
                "INSERT INTO transfers (id, from_id, to_id, amount_cents, from_balance_cents, idempotency_key) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(transfer_id)
            .bind(from.id)
            .bind(to.id)
            .bind(cmd.amount_cents)
            .bind(from_balance)
            .bind(&cmd.idempotency_key)
            .execute(&mut *sp)
            .await?;
            sp.commit().await?;
        }
        tx.commit().await?;
        Ok(TransferOutcome { transfer_id, from_balance_cents: from_balance, replayed: false })
    }
}
