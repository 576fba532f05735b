use rocket::http::Status;
use rocket::response::{self, Responder};
use rocket::serde::json::{json, Json};
use rocket::Request;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("comments are closed")]
    Closed,
    #[error("rejected by moderation")]
    Rejected,
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        let status = match self {
            ApiError::NotFound => Status::NotFound,
            ApiError::Conflict(_) => Status::Conflict,
            ApiError::Closed | ApiError::Rejected => Status::Forbidden,
            ApiError::Db(_) => Status::InternalServerError,
        };
        if status == Status::InternalServerError {
            tracing::error!(error = %self, "request failed");
        }
        (status, Json(json!({ "error": self.to_string() }))).respond_to(req)
    }
}

#[catch(404)]
pub fn not_found() -> Json<rocket::serde::json::Value> {
    Json(json!({ "error": "no such route" }))
}
