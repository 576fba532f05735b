#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("configuration: {0}")]
    Config(&'static str),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the worker is shutting down")]
    ShuttingDown(#[from] tokio::sync::AcquireError),
    #[error("no handler for job kind {0:?}")]
    UnknownKind(String),
    #[error("job failed: {0}")]
    Job(#[from] JobError),
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Failed(String),
}
