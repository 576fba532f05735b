pub mod handlers;
pub mod notifications;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sqlx::PgPool;
use uuid::Uuid;

pub struct AppState {
    pub pg: PgPool,
    pub public_url: String,
}

#[derive(Clone)]
pub struct CurrentUser {
    pub id: Uuid,
}

pub enum AppError {
    NotFound,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Db(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND.into_response(),
            AppError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}
