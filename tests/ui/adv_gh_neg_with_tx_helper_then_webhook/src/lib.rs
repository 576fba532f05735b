use axum::{extract::State, http::StatusCode, Json};
use futures::future::BoxFuture;
use serde::Deserialize;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub http: reqwest::Client,
    pub webhook_url: String,
}

#[derive(Deserialize)]
pub struct NewInvoice {
    pub tenant_id: Uuid,
    pub amount_cents: i64,
}

/// Runs `f` on the transaction with row-level security scoped to `tenant`.
async fn with_tx<T, F>(
    tx: &mut Transaction<'static, Postgres>,
    tenant: Uuid,
    f: F,
) -> sqlx::Result<T>
where
    F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, sqlx::Result<T>>,
{
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await?;
    f(&mut **tx).await
}

pub async fn create_invoice(
    State(state): State<AppState>,
    Json(req): Json<NewInvoice>,
) -> Result<Json<i64>, StatusCode> {
    let internal = |_| StatusCode::INTERNAL_SERVER_ERROR;
    let mut tx = state.db.begin().await.map_err(internal)?;
    let amount = req.amount_cents;
    let invoice_id: i64 = with_tx(&mut tx, req.tenant_id, |conn| {
        Box::pin(async move {
            sqlx::query_scalar("INSERT INTO invoices (amount_cents) VALUES ($1) RETURNING id")
                .bind(amount)
                .fetch_one(&mut *conn)
                .await
        })
    })
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;

    state
        .http
        .post(&state.webhook_url)
        .json(&serde_json::json!({ "invoice_id": invoice_id, "tenant_id": req.tenant_id }))
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    Ok(Json(invoice_id))
}
