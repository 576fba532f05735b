use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("invoice {0} not found")]
    NotFound(Uuid),
    #[error("invoice {id} is {actual}, expected {expected}")]
    InvalidState { id: Uuid, actual: String, expected: &'static str },
    #[error("amount must be positive")]
    NonPositiveAmount,
}
