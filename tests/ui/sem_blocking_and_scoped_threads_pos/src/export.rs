use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::db::DbPool;

#[derive(Deserialize)]
pub struct ExportQuery {
    pub merchant_id: i64,
}

pub struct AppError(anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.0.to_string()).into_response()
    }
}

pub async fn export_orders(
    State(pool): State<DbPool>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let mut conn = pool.get()?;
    let merchant = conn.query_one("SELECT name FROM merchants WHERE id = $1", &[&q.merchant_id])?;
    let name: String = merchant.get(0);

    let blocking_pool = pool.clone();
    let merchant_id = q.merchant_id;
    let csv = tokio::task::spawn_blocking(move || render_orders_csv(&blocking_pool, merchant_id)).await??; //~ nested_checkout

    conn.execute("INSERT INTO export_log (merchant_id, kind) VALUES ($1, 'orders')", &[&merchant_id])?;
    let disposition = format!("attachment; filename=\"{name}-orders.csv\"");
    Ok(([(header::CONTENT_TYPE, "text/csv".to_string()), (header::CONTENT_DISPOSITION, disposition)], csv).into_response())
}

fn render_orders_csv(pool: &DbPool, merchant_id: i64) -> anyhow::Result<String> {
    let mut conn = pool.get()?;
    let mut out = String::from("order_id,total_cents,created_at\n");
    for row in conn.query(
        "SELECT id, total_cents, created_at::text FROM orders WHERE merchant_id = $1 ORDER BY id",
        &[&merchant_id],
    )? {
        let id: i64 = row.get(0);
        let total: i64 = row.get(1);
        let created: String = row.get(2);
        out.push_str(&format!("{id},{total},{created}\n"));
    }
    Ok(out)
}
