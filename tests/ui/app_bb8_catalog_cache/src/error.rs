use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("postgres pool: {0}")]
    PgPool(#[from] bb8::RunError<tokio_postgres::Error>),
    #[error("postgres: {0}")]
    Pg(#[from] tokio_postgres::Error),
    #[error("redis pool: {0}")]
    RedisPool(#[from] bb8::RunError<redis::RedisError>),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("cache entry is not valid json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("product {0} not found")]
    NotFound(i64),
}

impl IntoResponse for CatalogError {
    fn into_response(self) -> Response {
        let status = match self {
            CatalogError::NotFound(_) => StatusCode::NOT_FOUND,
            CatalogError::PgPool(_) | CatalogError::RedisPool(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        tracing::warn!(error = %self, %status, "request failed");
        (status, self.to_string()).into_response()
    }
}
