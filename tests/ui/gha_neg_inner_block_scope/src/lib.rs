use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use mobc::Pool;
use mobc_postgres::{tokio_postgres::NoTls, PgConnectionManager};
use serde::Serialize;

#[derive(Clone)]
pub struct CrmState {
    pub pool: Pool<PgConnectionManager<NoTls>>,
    pub http: reqwest::Client,
    pub enrichment_url: String,
}

#[derive(Serialize)]
pub struct LeadProfile {
    pub email: String,
    pub company: Option<String>,
    pub enrichment: serde_json::Value,
}

fn bad_gateway<E>(_: E) -> StatusCode {
    StatusCode::BAD_GATEWAY
}

pub async fn enrich_lead(
    State(state): State<CrmState>,
    Path(lead_id): Path<i64>,
) -> Result<Json<LeadProfile>, StatusCode> {
    let (email, company): (String, Option<String>) = {
        let conn = state.pool.get().await.map_err(bad_gateway)?;
        let row = conn
            .query_opt("SELECT email, company FROM leads WHERE id = $1", &[&lead_id])
            .await
            .map_err(bad_gateway)?
            .ok_or(StatusCode::NOT_FOUND)?;
        (row.get(0), row.get(1))
    };

    let enrichment: serde_json::Value = state
        .http
        .get(&state.enrichment_url)
        .query(&[("email", email.as_str())])
        .send()
        .await
        .map_err(bad_gateway)?
        .json()
        .await
        .map_err(bad_gateway)?;

    Ok(Json(LeadProfile { email, company, enrichment }))
}
