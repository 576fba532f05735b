#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("{0} is not set")]
    Config(&'static str),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("http client: {0}")]
    Http(#[from] reqwest::Error),
    #[error("shutting down")]
    Closed(#[from] tokio::sync::AcquireError),
}
