use std::time::Duration;

use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::{Config, Pool, PoolConfig, Runtime, Timeouts};
use serde::Deserialize;

const QUEUE: &str = "mailer:outbox";

#[derive(Deserialize)]
struct OutgoingMail {
    to: String,
    subject: String,
    body: String,
}

fn redis_pool(url: &str) -> anyhow::Result<Pool> {
    let mut cfg = Config::from_url(url);
    cfg.pool = Some(PoolConfig {
        max_size: 8,
        timeouts: Timeouts {
            wait: Some(Duration::from_secs(2)),
            create: Some(Duration::from_secs(2)),
            recycle: Some(Duration::from_secs(1)),
        },
        ..Default::default()
    });
    Ok(cfg.create_pool(Some(Runtime::Tokio1))?)
}

async fn send(mail: &OutgoingMail) -> anyhow::Result<()> {
    tracing::info!(to = %mail.to, subject = %mail.subject, len = mail.body.len(), "sending");
    Ok(())
}

async fn drain_once(pool: &Pool) -> anyhow::Result<bool> {
    let mut conn = pool.get().await?;
    let item: Option<String> = conn.rpop(QUEUE, None).await?;
    drop(conn);
    match item {
        Some(json) => {
            let mail: OutgoingMail = serde_json::from_str(&json)?;
            send(&mail).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let pool = redis_pool(&std::env::var("REDIS_URL")?)?;
    loop {
        match drain_once(&pool).await {
            Ok(true) => {}
            Ok(false) => tokio::time::sleep(Duration::from_millis(500)).await,
            Err(e) => {
                tracing::warn!(error = %e, "outbox poll failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
