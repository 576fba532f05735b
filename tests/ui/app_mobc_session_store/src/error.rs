use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mobc_redis::redis::RedisError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("configuration: {0}")]
    Config(&'static str),
    #[error("no redis connection: {0}")]
    Pool(#[from] mobc::Error<RedisError>),
    #[error("redis: {0}")]
    Redis(#[from] RedisError),
    #[error("corrupt session: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("no such session")]
    NotFound,
    #[error("not signed in")]
    Unauthenticated,
}

impl IntoResponse for StoreError {
    fn into_response(self) -> Response {
        let status = match self {
            StoreError::NotFound | StoreError::Unauthenticated => StatusCode::UNAUTHORIZED,
            StoreError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "session store failure");
        }
        (status, self.to_string()).into_response()
    }
}
