mod billing;
mod pricing;
mod tax;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::post,
    Json, Router,
};
use serde::Serialize;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub default_region: String,
}

#[derive(Serialize)]
struct InvoiceResponse {
    invoice_id: i64,
    total_cents: i64,
}

fn internal<E: std::fmt::Display>(e: E) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

async fn finalize_invoice(
    State(state): State<AppState>,
    Path(invoice_id): Path<i64>,
) -> Result<Json<InvoiceResponse>, (StatusCode, String)> {
    let mut tx = state.db.begin().await.map_err(internal)?;

    let status: String = sqlx::query_scalar("SELECT status FROM invoices WHERE id = $1 FOR UPDATE")
        .bind(invoice_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
    if status != "draft" {
        return Err((StatusCode::CONFLICT, format!("invoice {invoice_id} is {status}")));
    }

    let lines: Vec<billing::Line> =
        sqlx::query_as("SELECT description, unit_cents, quantity FROM invoice_lines WHERE invoice_id = $1")
            .bind(invoice_id)
            .fetch_all(&mut *tx)
            .await
            .map_err(internal)?;

    let total = billing::compute_total(&state, &lines).await.map_err(internal)?; //~ nested_checkout

    sqlx::query("UPDATE invoices SET status = 'final', total_cents = $1 WHERE id = $2")
        .bind(total)
        .bind(invoice_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;

    Ok(Json(InvoiceResponse { invoice_id, total_cents: total }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db = PgPoolOptions::new()
        .max_connections(20)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let state = AppState { db, default_region: "EU".to_owned() };
    let app = Router::new()
        .route("/invoices/{id}/finalize", post(finalize_invoice))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
