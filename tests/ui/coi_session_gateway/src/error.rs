// API error type: wraps anyhow errors (pool, redis, postgres) and maps them to HTTP responses.
use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};

pub enum ApiError {
    NotFound(&'static str),
    Unauthorized,
    Internal(anyhow::Error),
}

impl<E> From<E> for ApiError
where
    E: Into<anyhow::Error>,
{
    fn from(err: E) -> Self {
        ApiError::Internal(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, format!("{what} not found")).into_response(),
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED.into_response(),
            ApiError::Internal(err) => {
                tracing::error!(error = %err, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}
