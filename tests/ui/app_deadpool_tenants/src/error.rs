use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("unknown tenant {0:?}")]
    UnknownTenant(String),
    #[error("no database connection: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("cannot create pool: {0}")]
    CreatePool(#[from] deadpool_postgres::CreatePoolError),
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("nothing to bill for account {0}")]
    NothingToBill(uuid::Uuid),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match self {
            AppError::UnknownTenant(_) => StatusCode::NOT_FOUND,
            AppError::NothingToBill(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        tracing::warn!(error = %self, %status, "request failed");
        (status, self.to_string()).into_response()
    }
}
