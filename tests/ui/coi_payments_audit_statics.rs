// Positive: static pools DB and AUDIT_DB (once_cell Lazy sqlx pools) are taken in opposite orders.
// `record_payment` holds a DB transaction while write_audit -> insert_audit_row executes on &*AUDIT_DB;
// the spawned `backfill_audit_owners` job holds an AUDIT_DB connection while account_owner queries &*DB.
use std::time::Duration;

use axum::{http::StatusCode, routing::post, Json, Router};
use once_cell::sync::Lazy;
use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};

static DB: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .connect_lazy(&std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"))
        .expect("DATABASE_URL is not a valid postgres url")
});

static AUDIT_DB: Lazy<PgPool> = Lazy::new(|| {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_lazy(&std::env::var("AUDIT_DATABASE_URL").expect("AUDIT_DATABASE_URL must be set"))
        .expect("AUDIT_DATABASE_URL is not a valid postgres url")
});

#[derive(Debug, Deserialize)]
pub struct NewPayment {
    pub account_id: i64,
    pub amount_cents: i64,
    pub reference: String,
}

pub async fn record_payment(payment: &NewPayment) -> anyhow::Result<i64> {
    let mut tx = DB.begin().await?;

    let payment_id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (account_id, amount_cents, reference) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(payment.account_id)
    .bind(payment.amount_cents)
    .bind(&payment.reference)
    .fetch_one(&mut *tx)
    .await?;

    let debited = sqlx::query(
        "UPDATE accounts SET balance_cents = balance_cents - $1 WHERE id = $2 AND balance_cents >= $1",
    )
    .bind(payment.amount_cents)
    .bind(payment.account_id)
    .execute(&mut *tx)
    .await?;
    if debited.rows_affected() == 0 {
        anyhow::bail!("insufficient funds on account {}", payment.account_id);
    }

    write_audit("payment.recorded", payment.account_id, &payment.reference).await?; //~ checkout_order_inversion

    tx.commit().await?;
    Ok(payment_id)
}

async fn write_audit(action: &str, account_id: i64, detail: &str) -> anyhow::Result<()> {
    let actor = std::env::var("SERVICE_NAME").unwrap_or_else(|_| "payments-api".to_owned());
    insert_audit_row(&actor, action, account_id, detail).await
}

async fn insert_audit_row(actor: &str, action: &str, account_id: i64, detail: &str) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor, action, account_id, detail) VALUES ($1, $2, $3, $4)")
        .bind(actor)
        .bind(action)
        .bind(account_id)
        .bind(detail)
        .execute(&*AUDIT_DB)
        .await?;
    Ok(())
}

async fn account_owner(account_id: i64) -> anyhow::Result<String> {
    let email: String = sqlx::query_scalar("SELECT owner_email FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&*DB)
        .await?;
    Ok(email)
}

async fn backfill_audit_owners() -> anyhow::Result<u64> {
    let mut audit = AUDIT_DB.acquire().await?;
    let pending: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, account_id FROM audit_log WHERE owner_email IS NULL ORDER BY id LIMIT 500",
    )
    .fetch_all(&mut *audit)
    .await?;

    let mut filled = 0u64;
    for (audit_id, account_id) in pending {
        let owner = account_owner(account_id).await?;
        sqlx::query("UPDATE audit_log SET owner_email = $1 WHERE id = $2")
            .bind(owner)
            .bind(audit_id)
            .execute(&mut *audit)
            .await?;
        filled += 1;
    }
    Ok(filled)
}

async fn create_payment(Json(payment): Json<NewPayment>) -> Result<Json<i64>, (StatusCode, String)> {
    record_payment(&payment)
        .await
        .map(Json)
        .map_err(|err| (StatusCode::UNPROCESSABLE_ENTITY, format!("{err:#}")))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match backfill_audit_owners().await {
                Ok(0) => {}
                Ok(filled) => tracing::info!(filled, "audit owners backfilled"),
                Err(err) => tracing::warn!(error = %err, "audit backfill failed"),
            }
        }
    });

    let app = Router::new().route("/payments", post(create_payment));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
