use deadpool_postgres::{Config, Pool, PoolConfig, Runtime, Timeouts};
use poem::error::{InternalServerError, ServiceUnavailable};
use poem::listener::TcpListener;
use poem::web::{Data, Json, Path};
use poem::{get, handler, post, EndpointExt, Route, Server};
use serde::Serialize;
use std::time::Duration;
use tokio_postgres::NoTls;

#[derive(Serialize)]
struct Health {
    db_time: String,
    in_recovery: bool,
    pool_size: usize,
    pool_available: usize,
    pool_waiting: usize,
    pool_max: usize,
    wait_timeout_ms: Option<u128>,
}

#[handler]
async fn healthz(Data(pool): Data<&Pool>) -> poem::Result<Json<Health>> {
    let client = pool.get().await.map_err(ServiceUnavailable)?;
    let row = client
        .query_one("SELECT now()::text, pg_is_in_recovery()", &[])
        .await
        .map_err(InternalServerError)?;

    let status = pool.status();
    let timeouts = pool.timeouts();
    Ok(Json(Health {
        db_time: row.get(0),
        in_recovery: row.get(1),
        pool_size: status.size,
        pool_available: status.available,
        pool_waiting: status.waiting,
        pool_max: status.max_size,
        wait_timeout_ms: timeouts.wait.map(|d| d.as_millis()),
    }))
}

#[handler]
async fn renumber(Data(pool): Data<&Pool>, Path(list_id): Path<i64>) -> poem::Result<Json<u64>> {
    let mut client = pool.get().await.map_err(ServiceUnavailable)?;
    let tx = client.transaction().await.map_err(InternalServerError)?;
    let sp = tx.savepoint("renumber").await.map_err(InternalServerError)?;
    let n = sp
        .execute(
            "UPDATE items SET position = sub.rn FROM (SELECT id, row_number() OVER (ORDER BY position) AS rn \
             FROM items WHERE list_id = $1) sub WHERE items.id = sub.id",
            &[&list_id],
        )
        .await
        .map_err(InternalServerError)?;
    sp.commit().await.map_err(InternalServerError)?;
    tx.commit().await.map_err(InternalServerError)?;
    tracing_status(pool);
    Ok(Json(n))
}

fn tracing_status(pool: &Pool) {
    let s = pool.status();
    println!("pool size={} available={} waiting={}", s.size, s.available, s.waiting);
}

#[tokio::main]
async fn main() -> Result<(), std::io::Error> {
    let mut cfg = Config::new();
    cfg.url = std::env::var("DATABASE_URL").ok();
    cfg.pool = Some(PoolConfig {
        max_size: 16,
        timeouts: Timeouts { wait: Some(Duration::from_secs(5)), ..Timeouts::default() },
        ..PoolConfig::default()
    });
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls).expect("postgres pool");
    let app = Route::new()
        .at("/healthz", get(healthz))
        .at("/lists/:id/renumber", post(renumber))
        .data(pool);
    Server::new(TcpListener::bind("0.0.0.0:9000")).run(app).await
}
