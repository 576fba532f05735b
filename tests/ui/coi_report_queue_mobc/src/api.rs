// HTTP API. `request_report` holds a JobQueue.db transaction while JobQueue::enqueue checks out JobQueue.redis
// (db -> redis), the opposite order of worker::process_next (redis -> db).
use std::sync::Arc;

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{queue::ReportJob, AppState};

const MAX_OPEN_REQUESTS: i64 = 3;

#[derive(Debug, Deserialize)]
pub struct ReportRequest {
    pub account_id: i64,
    pub kind: String,
}

pub enum ApiError {
    TooManyRequests,
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError::Internal(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                format!("at most {MAX_OPEN_REQUESTS} reports may be pending per account"),
            )
                .into_response(),
            ApiError::Internal(err) => {
                tracing::error!(error = %err, "report request failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

pub async fn request_report(
    State(state): State<Arc<AppState>>,
    Json(body): Json<ReportRequest>,
) -> Result<(StatusCode, Json<Uuid>), ApiError> {
    let job = ReportJob {
        id: Uuid::new_v4(),
        account_id: body.account_id,
        kind: body.kind,
    };

    let mut tx = state.queue.db.begin().await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM report_requests WHERE account_id = $1 AND status IN ('queued', 'running')",
    )
    .bind(job.account_id)
    .fetch_one(&mut *tx)
    .await?;
    if open >= MAX_OPEN_REQUESTS {
        return Err(ApiError::TooManyRequests);
    }

    sqlx::query("INSERT INTO report_requests (id, account_id, kind, status) VALUES ($1, $2, $3, 'queued')")
        .bind(job.id)
        .bind(job.account_id)
        .bind(&job.kind)
        .execute(&mut *tx)
        .await?;

    // Enqueue before committing so a failed push rolls the request row back.
    state.queue.enqueue(&job).await?; //~ checkout_order_inversion
    tx.commit().await?;

    Ok((StatusCode::ACCEPTED, Json(job.id)))
}
