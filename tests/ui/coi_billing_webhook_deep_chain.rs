// Positive: static PG (deadpool-postgres) and static REDIS (deadpool-redis), both once_cell Lazy, are taken in
// opposite orders: `handle_billing_webhook` holds a PG client and reaches REDIS three calls down (apply_event ->
// update_subscription_projection -> publish_invalidation); `authorize` holds REDIS and reaches PG via resolve_api_key.
use anyhow::Context;
use axum::{
    extract::Request,
    http::StatusCode,
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
    Extension, Json, Router,
};
use deadpool_postgres::{Runtime, Transaction};
use deadpool_redis::redis::AsyncCommands;
use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio_postgres::NoTls;

static PG: Lazy<deadpool_postgres::Pool> = Lazy::new(|| {
    let mut cfg = deadpool_postgres::Config::new();
    cfg.url = Some(std::env::var("DATABASE_URL").expect("DATABASE_URL must be set"));
    cfg.create_pool(Some(Runtime::Tokio1), NoTls)
        .expect("invalid postgres configuration")
});

static REDIS: Lazy<deadpool_redis::Pool> = Lazy::new(|| {
    deadpool_redis::Config::from_url(std::env::var("REDIS_URL").expect("REDIS_URL must be set"))
        .create_pool(Some(Runtime::Tokio1))
        .expect("invalid redis configuration")
});

#[derive(Debug, Deserialize)]
struct BillingEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    subscription_id: String,
    status: String,
}

async fn handle_billing_webhook(event: BillingEvent) -> anyhow::Result<()> {
    let mut client = PG.get().await.context("postgres pool")?;
    let tx = client.transaction().await?;

    let inserted = tx
        .execute(
            "INSERT INTO webhook_events (event_id, kind, received_at) VALUES ($1, $2, now()) \
             ON CONFLICT (event_id) DO NOTHING",
            &[&event.id, &event.kind],
        )
        .await?;
    if inserted == 0 {
        // Duplicate delivery; the provider retries aggressively.
        return Ok(());
    }

    apply_event(&tx, &event).await?; //~ checkout_order_inversion
    tx.commit().await?;
    Ok(())
}

async fn apply_event(tx: &Transaction<'_>, event: &BillingEvent) -> anyhow::Result<()> {
    match event.kind.as_str() {
        "subscription.updated" | "subscription.canceled" => update_subscription_projection(tx, event).await,
        other => {
            tracing::debug!(kind = other, "ignoring billing event");
            Ok(())
        }
    }
}

async fn update_subscription_projection(tx: &Transaction<'_>, event: &BillingEvent) -> anyhow::Result<()> {
    let row = tx
        .query_one(
            "UPDATE subscriptions SET status = $2, updated_at = now() WHERE external_id = $1 RETURNING account_id",
            &[&event.subscription_id, &event.status],
        )
        .await?;
    let account_id: i64 = row.get(0);
    publish_invalidation(account_id).await
}

async fn publish_invalidation(account_id: i64) -> anyhow::Result<()> {
    let mut conn = REDIS.get().await.context("redis pool")?;
    let _: () = conn.del(format!("entitlements:{account_id}")).await?;
    let _: () = conn.publish("entitlements.invalidated", account_id).await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ApiKeyRecord {
    account_id: i64,
    scopes: Vec<String>,
}

fn key_fingerprint(raw_key: &str) -> String {
    hex::encode(Sha256::digest(raw_key.as_bytes()))
}

async fn fetch_key_record(fingerprint: &str) -> anyhow::Result<Option<ApiKeyRecord>> {
    let client = PG.get().await.context("postgres pool")?;
    let row = client
        .query_opt(
            "SELECT account_id, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
            &[&fingerprint],
        )
        .await?;
    Ok(row.map(|row| ApiKeyRecord {
        account_id: row.get(0),
        scopes: row.get(1),
    }))
}

async fn resolve_api_key(fingerprint: &str) -> anyhow::Result<Option<ApiKeyRecord>> {
    fetch_key_record(fingerprint).await
}

async fn authorize(raw_key: &str) -> anyhow::Result<Option<ApiKeyRecord>> {
    let fingerprint = key_fingerprint(raw_key);
    let mut conn = REDIS.get().await.context("redis pool")?;

    let window = format!("ratelimit:{fingerprint}:{}", chrono::Utc::now().timestamp() / 60);
    let hits: u64 = conn.incr(&window, 1).await?;
    if hits == 1 {
        let _: () = conn.expire(&window, 60).await?;
    }
    if hits > 600 {
        return Ok(None);
    }

    let cache_key = format!("apikey:{fingerprint}");
    if let Some(raw) = conn.get::<_, Option<String>>(&cache_key).await? {
        return Ok(Some(serde_json::from_str(&raw)?));
    }

    let record = resolve_api_key(&fingerprint).await?;
    if let Some(record) = &record {
        let _: () = conn.set_ex(&cache_key, serde_json::to_string(record)?, 300).await?;
    }
    Ok(record)
}

async fn require_api_key(mut req: Request, next: Next) -> Result<Response, StatusCode> {
    let raw_key = req
        .headers()
        .get("x-api-key")
        .and_then(|value| value.to_str().ok())
        .ok_or(StatusCode::UNAUTHORIZED)?
        .to_owned();
    let record = authorize(&raw_key)
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "api key check failed");
            StatusCode::SERVICE_UNAVAILABLE
        })?
        .ok_or(StatusCode::UNAUTHORIZED)?;
    req.extensions_mut().insert(record);
    Ok(next.run(req).await)
}

async fn billing_webhook(Json(event): Json<BillingEvent>) -> StatusCode {
    match handle_billing_webhook(event).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(err) => {
            tracing::error!(error = %err, "webhook processing failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

async fn my_scopes(Extension(record): Extension<ApiKeyRecord>) -> Json<Vec<String>> {
    Json(record.scopes)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let api = Router::new()
        .route("/v1/scopes", get(my_scopes))
        .layer(middleware::from_fn(require_api_key));
    let app = Router::new()
        .route("/webhooks/billing", post(billing_webhook))
        .merge(api);

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
