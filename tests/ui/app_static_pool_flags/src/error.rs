use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("flag {0:?} not found")]
    NotFound(String),
    #[error("flag {0:?} already exists")]
    Exists(String),
    #[error("invalid rule: {0}")]
    InvalidRule(String),
    #[error("the database handles are already initialized")]
    AlreadyInitialized,
}

impl IntoResponse for FlagError {
    fn into_response(self) -> Response {
        let status = match self {
            FlagError::NotFound(_) => StatusCode::NOT_FOUND,
            FlagError::Exists(_) => StatusCode::CONFLICT,
            FlagError::InvalidRule(_) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}
