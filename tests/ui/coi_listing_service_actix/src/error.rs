// Error type shared by the blocking helpers and the actix handlers.
use actix_web::{http::StatusCode, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("listing not found")]
    NotFound,
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("serialization: {0}")]
    Json(#[from] serde_json::Error),
    #[error("blocking task failed")]
    Blocking(#[from] actix_web::error::BlockingError),
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            log::error!("{self}");
        }
        HttpResponse::build(self.status_code()).body(self.to_string())
    }
}
