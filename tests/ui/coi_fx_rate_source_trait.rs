// Positive: AppState.db (sqlx) and RedisRateCache.pool (bb8-redis) are taken in opposite orders. `convert` holds
// a db transaction and calls state.rates.latest_rate(..), the RateSource impl on the concrete RedisRateCache,
// which checks out redis; `refresh_rates` holds a redis connection (refresh lock) while querying &state.db.
use std::{sync::Arc, time::Duration};

use anyhow::{anyhow, Context};
use async_trait::async_trait;
use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use bb8_redis::{
    redis::{self, AsyncCommands},
    RedisConnectionManager,
};
use serde::Deserialize;
use sqlx::{postgres::PgPoolOptions, PgPool};

#[async_trait]
trait RateSource {
    /// Exchange rate from `base` to `quote`, in millionths.
    async fn latest_rate(&self, base: &str, quote: &str) -> anyhow::Result<i64>;
}

struct RedisRateCache {
    pool: bb8::Pool<RedisConnectionManager>,
}

#[async_trait]
impl RateSource for RedisRateCache {
    async fn latest_rate(&self, base: &str, quote: &str) -> anyhow::Result<i64> {
        let mut conn = self.pool.get().await?;
        let rate: Option<i64> = conn.get(format!("fx:{base}:{quote}")).await?;
        rate.ok_or_else(|| anyhow!("no cached rate for {base}/{quote}"))
    }
}

struct AppState {
    db: PgPool,
    rates: RedisRateCache,
}

#[derive(Debug, Deserialize)]
struct ConvertRequest {
    account_id: i64,
    from_currency: String,
    to_currency: String,
    amount_minor: i64,
}

async fn convert(state: &AppState, req: &ConvertRequest) -> anyhow::Result<i64> {
    let mut tx = state.db.begin().await?;

    let balance: i64 = sqlx::query_scalar(
        "SELECT balance_minor FROM wallets WHERE account_id = $1 AND currency = $2 FOR UPDATE",
    )
    .bind(req.account_id)
    .bind(&req.from_currency)
    .fetch_optional(&mut *tx)
    .await?
    .context("source wallet not found")?;
    if balance < req.amount_minor {
        anyhow::bail!("insufficient {} balance", req.from_currency);
    }

    let rate_micros = state.rates.latest_rate(&req.from_currency, &req.to_currency).await?; //~ checkout_order_inversion
    let credited = (i128::from(req.amount_minor) * i128::from(rate_micros) / 1_000_000) as i64;

    sqlx::query("UPDATE wallets SET balance_minor = balance_minor - $3 WHERE account_id = $1 AND currency = $2")
        .bind(req.account_id)
        .bind(&req.from_currency)
        .bind(req.amount_minor)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO wallets (account_id, currency, balance_minor) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, currency) DO UPDATE SET balance_minor = wallets.balance_minor + EXCLUDED.balance_minor",
    )
    .bind(req.account_id)
    .bind(&req.to_currency)
    .bind(credited)
    .execute(&mut *tx)
    .await?;

    tx.commit().await?;
    Ok(credited)
}

async fn refresh_rates(state: &AppState) -> anyhow::Result<usize> {
    let mut conn = state.rates.pool.get().await?;

    // Only one replica refreshes at a time; the lock expires on its own if we crash.
    let lock: Option<String> = redis::cmd("SET")
        .arg("fx:refresh_lock")
        .arg(std::process::id())
        .arg("NX")
        .arg("EX")
        .arg(30)
        .query_async(&mut *conn)
        .await?;
    if lock.is_none() {
        return Ok(0);
    }

    let rates: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT base, quote, rate_micros FROM fx_rates_latest WHERE fetched_at > now() - interval '1 hour'",
    )
    .fetch_all(&state.db)
    .await?;

    for (base, quote, rate_micros) in &rates {
        let _: () = conn.set_ex(format!("fx:{base}:{quote}"), *rate_micros, 600).await?;
    }
    let _: () = conn.del("fx:refresh_lock").await?;
    Ok(rates.len())
}

async fn convert_funds(
    State(state): State<Arc<AppState>>,
    Json(req): Json<ConvertRequest>,
) -> Result<Json<i64>, (StatusCode, String)> {
    convert(&state, &req)
        .await
        .map(Json)
        .map_err(|err| (StatusCode::UNPROCESSABLE_ENTITY, format!("{err:#}")))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let db = PgPoolOptions::new()
        .max_connections(15)
        .connect(&std::env::var("DATABASE_URL")?)
        .await?;
    let manager = RedisConnectionManager::new(std::env::var("REDIS_URL")?)?;
    let redis_pool = bb8::Pool::builder().max_size(15).build(manager).await?;

    let state = Arc::new(AppState {
        db,
        rates: RedisRateCache { pool: redis_pool },
    });

    let refresher = Arc::clone(&state);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(err) = refresh_rates(&refresher).await {
                eprintln!("fx refresh failed: {err:#}");
            }
        }
    });

    let app = Router::new()
        .route("/conversions", post(convert_funds))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
