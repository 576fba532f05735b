use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct TenantConfig { pub id: String, pub database_url: String }

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// The control plane: tenants, billing runs, feature flags.
    pub control_url: String,
    pub tenants: Vec<TenantConfig>,
    #[serde(default = "default_pool_size")]
    pub pool_size: usize,
    #[serde(default = "default_currency")]
    pub currency: String,
}

fn default_pool_size() -> usize { 8 }
fn default_currency() -> String { "EUR".into() }

impl Config {
    pub fn load() -> Result<Self, crate::error::AppError> {
        let path = std::env::var("TENANTS_CONFIG").unwrap_or_else(|_| "tenants.json".into());
        let raw = std::fs::read_to_string(&path).map_err(|e| crate::error::AppError::Config(format!("{path}: {e}")))?;
        serde_json::from_str(&raw).map_err(|e| crate::error::AppError::Config(format!("{path}: {e}")))
    }
}
