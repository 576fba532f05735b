//! Resolves the tenant of an incoming request from its Host header.

use std::collections::HashMap;
use std::sync::OnceLock;

use bb8_postgres::PostgresConnectionManager;
use serde::Deserialize;
use tokio::sync::RwLock;
use tokio_postgres::NoTls;

pub struct GatewayConfig {
    pub billing_url: String,
    pub default_plan: String,
}

static CONFIG: OnceLock<GatewayConfig> = OnceLock::new();

pub fn init_config(cfg: GatewayConfig) {
    let _ = CONFIG.set(cfg);
}

#[derive(Clone, Debug)]
pub struct Tenant {
    pub id: i64,
    pub slug: String,
    pub plan: String,
}

#[derive(Deserialize)]
struct PlanResponse {
    plan: String,
}

pub struct TenantResolver {
    pool: bb8::Pool<PostgresConnectionManager<NoTls>>,
    http: reqwest::Client,
    overrides: HashMap<String, String>,
    cache: RwLock<HashMap<String, Tenant>>,
}

impl TenantResolver {
    pub async fn resolve(&self, host: &str) -> anyhow::Result<Option<Tenant>> {
        let host = self.overrides.get(host).map(String::as_str).unwrap_or(host);
        if let Some(t) = self.cache.read().await.get(host).cloned() {
            return Ok(Some(t));
        }

        let conn = self.pool.get().await?;
        let Some(row) = conn
            .query_opt("SELECT id, slug FROM tenants WHERE host = $1 AND deleted_at IS NULL", &[&host])
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.get("id");
        let slug: String = row.get("slug");

        let cfg = CONFIG.get().expect("gateway config not initialised");
        let plan = match self.http.get(format!("{}/tenants/{id}/plan", cfg.billing_url)).send().await { //~ guard_held_across_await
            Ok(resp) => resp.json::<PlanResponse>().await.map(|p| p.plan).unwrap_or_else(|_| cfg.default_plan.clone()),
            Err(_) => cfg.default_plan.clone(),
        };
        conn.execute("UPDATE tenants SET last_seen_at = now() WHERE id = $1", &[&id]).await?;

        let tenant = Tenant { id, slug, plan };
        self.cache.write().await.insert(host.to_owned(), tenant.clone());
        Ok(Some(tenant))
    }
}
