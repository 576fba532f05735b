use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Account {
    id: Uuid,
    name: String,
    widget_ids: Vec<i64>,
}

#[derive(Serialize, sqlx::FromRow)]
pub struct Widget {
    pub id: i64,
    pub kind: String,
    pub config: String,
}

#[derive(Serialize)]
pub struct Dashboard {
    pub account: String,
    pub usage_units: i64,
    pub open_invoices: i64,
    pub widgets: Vec<Widget>,
}

fn internal(e: sqlx::Error) -> StatusCode {
    tracing::error!("dashboard query failed: {e}");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn show(
    State(pool): State<PgPool>,
    Path(account_id): Path<Uuid>,
) -> Result<Json<Dashboard>, StatusCode> {
    let mut tx = pool.begin().await.map_err(internal)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let account = sqlx::query_as::<_, Account>("SELECT id, name, widget_ids FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;

    let (usage_units, open_invoices) = tokio::try_join!(
        usage_this_month(&pool, account.id), //~ nested_checkout
        open_invoice_count(&pool, account.id), //~ nested_checkout
    )
    .map_err(internal)?;

    let widgets = futures::future::join_all(account.widget_ids.iter().map(|id| load_widget(&pool, *id))).await; //~ nested_checkout
    tx.commit().await.map_err(internal)?;

    Ok(Json(Dashboard {
        account: account.name,
        usage_units,
        open_invoices,
        widgets: widgets.into_iter().filter_map(Result::ok).collect(),
    }))
}

async fn usage_this_month(pool: &PgPool, account: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(SUM(units), 0)::BIGINT FROM usage_events WHERE account_id = $1 AND created_at >= date_trunc('month', now())")
        .bind(account)
        .fetch_one(pool)
        .await
}

async fn open_invoice_count(pool: &PgPool, account: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM invoices WHERE account_id = $1 AND paid_at IS NULL")
        .bind(account)
        .fetch_one(pool)
        .await
}

async fn load_widget(pool: &PgPool, id: i64) -> Result<Widget, sqlx::Error> {
    sqlx::query_as::<_, Widget>("SELECT id, kind, config::text AS config FROM widgets WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}
