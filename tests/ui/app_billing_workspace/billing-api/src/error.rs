use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use billing_core::BillingError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Billing(#[from] BillingError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("bad request: {0}")]
    BadRequest(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiError::Billing(BillingError::NotFound(_)) => StatusCode::NOT_FOUND,
            ApiError::Billing(BillingError::InvalidState { .. }) => StatusCode::CONFLICT,
            ApiError::Billing(BillingError::NonPositiveAmount) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status.is_server_error() { tracing::error!(error = %self, "request failed"); }
        (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response()
    }
}
