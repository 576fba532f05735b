//! Storage behind the gRPC service. Two implementations: Postgres and in-memory.

mod memory;
mod postgres;

use async_trait::async_trait;
use uuid::Uuid;

pub use self::memory::MemoryStore;
pub use self::postgres::PgStore;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    pub id: Uuid,
    pub owner: String,
    pub currency: String,
    pub balance_cents: i64,
    pub tier: i32,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub owner: String,
    pub currency: String,
    pub tier: i32,
}

#[derive(Debug, Clone)]
pub struct TransferCmd {
    pub from: Uuid,
    pub to: Uuid,
    pub amount_cents: i64,
    pub idempotency_key: String,
}

#[derive(Debug, Clone)]
pub struct TransferOutcome {
    pub transfer_id: Uuid,
    pub from_balance_cents: i64,
    pub replayed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("account {0} not found")]
    NotFound(Uuid),
    #[error("an account for this owner and currency already exists")]
    AlreadyExists,
    #[error("insufficient funds")]
    InsufficientFunds,
    #[error("currencies differ")]
    CurrencyMismatch,
    #[error("too many transfers from this account; try again later")]
    VelocityExceeded,
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    async fn open_account(&self, new: NewAccount) -> Result<Account, StoreError>;
    async fn get_account(&self, id: Uuid) -> Result<Option<Account>, StoreError>;
    async fn transfer(&self, cmd: TransferCmd) -> Result<TransferOutcome, StoreError>;
}
