use std::collections::HashSet;
use std::sync::Arc;

use tracing::{info, warn};

use crate::error::AppError;
use crate::tenants::{TenantId, TenantPools};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

pub static MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "usage", sql: "CREATE TABLE usage (id BIGSERIAL PRIMARY KEY, account_id UUID NOT NULL, meter TEXT NOT NULL, quantity BIGINT NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(), billed_at TIMESTAMPTZ, invoice_id UUID)" },
    Migration { version: 2, name: "rates", sql: "CREATE TABLE rates (meter TEXT NOT NULL, unit_cents BIGINT NOT NULL, valid_to TIMESTAMPTZ)" },
    Migration { version: 3, name: "invoices", sql: "CREATE TABLE invoices (id UUID PRIMARY KEY, account_id UUID NOT NULL, currency TEXT NOT NULL, total_cents BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'open')" },
];

pub struct Migrator {
    pools: Arc<TenantPools>,
}

impl Migrator {
    pub fn new(pools: Arc<TenantPools>) -> Self {
        Self { pools }
    }

    pub async fn migrate_all(&self) -> Result<Vec<(TenantId, usize)>, AppError> {
        let tenants: Vec<TenantId> = self.pools.tenants().cloned().collect();
        let mut applied = Vec::with_capacity(tenants.len());
        for tenant in tenants {
            let n = self.migrate(&tenant).await?;
            applied.push((tenant, n));
        }
        Ok(applied)
    }

    pub async fn migrate(&self, tenant: &TenantId) -> Result<usize, AppError> {
        let client = self.pools.client(tenant).await?;
        client
            .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            .await?;
        let done: HashSet<i64> = client
            .query("SELECT version FROM schema_migrations", &[])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let pending: Vec<&Migration> = MIGRATIONS.iter().filter(|m| !done.contains(&m.version)).collect();
        for m in &pending {
            self.apply(tenant, m).await?; //~ nested_checkout
        }
        Ok(pending.len())
    }

    /// Re-runs migrations whose rows were removed by hand (support tooling).
    pub async fn repair(&self, tenant: &TenantId, versions: &[i64]) -> Result<(), AppError> {
        let client = self.pools.client(tenant).await?;
        let present: HashSet<i64> = client
            .query("SELECT version FROM schema_migrations WHERE version = ANY($1)", &[&versions])
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        drop(client);
        for m in MIGRATIONS.iter().filter(|m| versions.contains(&m.version) && !present.contains(&m.version)) {
            warn!(%tenant, version = m.version, "re-applying migration");
            self.apply(tenant, m).await?;
        }
        Ok(())
    }

    async fn apply(&self, tenant: &TenantId, m: &Migration) -> Result<(), AppError> {
        let mut client = self.pools.client(tenant).await?;
        let tx = client.transaction().await?;
        tx.batch_execute(m.sql).await?;
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&m.version]).await?;
        tx.commit().await?;
        info!(%tenant, version = m.version, name = m.name, "migration applied");
        Ok(())
    }
}
