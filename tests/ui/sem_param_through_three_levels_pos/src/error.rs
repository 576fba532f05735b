use actix_web::http::StatusCode;
use actix_web::ResponseError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("db: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("insufficient stock for {0}")]
    OutOfStock(String),
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::OutOfStock(_) => StatusCode::CONFLICT,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}
