use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::{watch, RwLock, Semaphore};
use tracing::{error, info, warn};

use crate::error::DispatchError;
use crate::outbox::{Delivery, Endpoint, Outbox};
use crate::signer::Signer;

static USER_AGENT: OnceLock<String> = OnceLock::new();

fn user_agent() -> &'static str {
    USER_AGENT.get_or_init(|| format!("webhook-dispatcher/{}", env!("CARGO_PKG_VERSION")))
}

pub struct DispatcherConfig {
    pub worker_id: String,
    pub concurrency: usize,
    pub poll_every: Duration,
    pub timeout: Duration,
}

impl DispatcherConfig {
    pub fn from_env() -> Self {
        let concurrency = std::env::var("CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(32);
        let worker_id = std::env::var("HOSTNAME").unwrap_or_else(|_| "dispatcher".into());
        Self { worker_id, concurrency, poll_every: Duration::from_millis(500), timeout: Duration::from_secs(10) }
    }
}

pub struct Dispatcher {
    cfg: DispatcherConfig,
    outbox: Arc<Outbox>,
    http: reqwest::Client,
    signer: Signer,
    /// One permit per HTTP request in flight.
    limiter: Arc<Semaphore>,
    endpoints: RwLock<HashMap<i64, Endpoint>>,
}

impl Dispatcher {
    pub fn new(cfg: DispatcherConfig, outbox: Arc<Outbox>) -> Result<Self, DispatchError> {
        let http = reqwest::Client::builder().user_agent(user_agent()).timeout(cfg.timeout).build()?;
        let limiter = Arc::new(Semaphore::new(cfg.concurrency));
        Ok(Self { cfg, outbox, http, signer: Signer, limiter, endpoints: RwLock::new(HashMap::new()) })
    }

    pub async fn refresh_endpoints(&self) -> Result<(), DispatchError> {
        let fresh = self.outbox.endpoints().await?;
        info!(n = fresh.len(), "endpoints loaded");
        *self.endpoints.write().await = fresh;
        Ok(())
    }

    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) -> Result<(), DispatchError> {
        let mut tick = tokio::time::interval(self.cfg.poll_every);
        let mut polls: u64 = 0;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => break,
            }
            polls += 1;
            if polls % 120 == 0 {
                if let Err(e) = self.refresh_endpoints().await {
                    warn!(error = %e, "endpoint refresh failed");
                }
            }
            let free = self.limiter.available_permits();
            if free == 0 {
                continue;
            }
            let batch = self.outbox.claim(&self.cfg.worker_id, free as i64).await?;
            for delivery in batch {
                let permit = match Arc::clone(&self.limiter).try_acquire_owned() {
                    Ok(p) => p,
                    Err(_) => {
                        self.outbox.release(delivery.id).await?;
                        continue;
                    }
                };
                let this = Arc::clone(&self);
                tokio::spawn(async move {
                    this.deliver(delivery).await;
                    drop(permit);
                });
            }
        }
        // Drain: every permit back means every request finished.
        let _all = self.limiter.acquire_many(self.cfg.concurrency as u32).await?;
        info!("dispatcher stopped");
        Ok(())
    }

    async fn deliver(&self, d: Delivery) {
        let endpoint = self.endpoints.read().await.get(&d.endpoint_id).cloned();
        let Some(endpoint) = endpoint else {
            if let Err(e) = self.outbox.mark_failed(&d, "endpoint disabled or removed").await {
                error!(error = %e, delivery = d.id, "failure not recorded");
            }
            return;
        };
        let now = chrono::Utc::now().timestamp();
        let signature = self.signer.sign(&endpoint.secret, &d.payload, now);
        let sent = self
            .http
            .post(&endpoint.url)
            .header("content-type", "application/json")
            .header("x-webhook-event", &d.event_type)
            .header("x-webhook-signature", signature)
            .body(d.payload.clone())
            .send()
            .await;
        let recorded = match sent {
            Ok(resp) if resp.status().is_success() => self.outbox.mark_delivered(d.id, resp.status().as_u16()).await,
            Ok(resp) => self.outbox.mark_failed(&d, &format!("HTTP {}", resp.status())).await,
            Err(e) => self.outbox.mark_failed(&d, &e.to_string()).await,
        };
        if let Err(e) = recorded {
            error!(error = %e, delivery = d.id, "delivery outcome not recorded");
        }
    }

    /// Checks that an endpoint answers before it is enabled (admin API).
    pub async fn probe(&self, url: &str) -> Result<bool, DispatchError> {
        let _permit = self.limiter.acquire().await?;
        let resp = self.http.get(url).send().await?;
        Ok(resp.status().is_success() || resp.status().as_u16() == 405)
    }
}
