use axum::{
    extract::{Path, State},
    http::StatusCode,
};

use crate::AppState;

pub async fn finish(State(state): State<AppState>, Path(upload_id): Path<i64>) -> StatusCode {
    let Ok(client) = state.db.get().await else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let size: i64 = match client
        .query_one("SELECT sum(length(data))::bigint FROM upload_chunks WHERE upload_id = $1", &[&upload_id])
        .await
    {
        Ok(row) => row.get(0),
        Err(_) => return StatusCode::NOT_FOUND,
    };
    match crate::store::record_upload(&state.db, upload_id, size).await { //~ nested_checkout
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
