use std::collections::HashMap;
use std::fmt;

use deadpool_postgres::{Client, Config as PgConfig, ManagerConfig, Pool, PoolConfig, RecyclingMethod, Runtime, Status};
use serde::{Deserialize, Serialize};
use tokio_postgres::NoTls;

use crate::config::Config;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TenantId(pub String);

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
}

/// One pool per tenant database, plus the control-plane pool.
pub struct TenantPools {
    pools: HashMap<TenantId, Pool>,
    control: Pool,
}

impl TenantPools {
    pub fn build(cfg: &Config) -> Result<Self, AppError> {
        let control = make_pool(&cfg.control_url, cfg.pool_size)?;
        let pools = cfg
            .tenants
            .iter()
            .map(|t| Ok((TenantId(t.id.clone()), make_pool(&t.database_url, cfg.pool_size)?)))
            .collect::<Result<HashMap<_, _>, AppError>>()?;
        Ok(Self { pools, control })
    }

    pub fn tenants(&self) -> impl Iterator<Item = &TenantId> {
        self.pools.keys()
    }

    pub fn pool(&self, tenant: &TenantId) -> Result<&Pool, AppError> {
        self.pools.get(tenant).ok_or_else(|| AppError::UnknownTenant(tenant.0.clone()))
    }

    /// A connection to the tenant's own database.
    pub async fn client(&self, tenant: &TenantId) -> Result<Client, AppError> {
        Ok(self.pool(tenant)?.get().await?)
    }

    /// A connection to the control-plane database.
    pub async fn control(&self) -> Result<Client, AppError> {
        Ok(self.control.get().await?)
    }

    pub fn status(&self) -> Vec<(TenantId, Status)> {
        let mut all: Vec<_> = self.pools.iter().map(|(t, p)| (t.clone(), p.status())).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

fn make_pool(url: &str, size: usize) -> Result<Pool, AppError> {
    let mut cfg = PgConfig::new();
    cfg.url = Some(url.to_owned());
    cfg.manager = Some(ManagerConfig { recycling_method: RecyclingMethod::Fast });
    cfg.pool = Some(PoolConfig::new(size));
    Ok(cfg.create_pool(Some(Runtime::Tokio1), NoTls)?)
}
