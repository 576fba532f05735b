pub mod audit;
pub mod keys;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("account {0} has no active key")]
    NoActiveKey(uuid::Uuid),
}
