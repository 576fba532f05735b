use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub listen: String,
    pub pg: deadpool_postgres::Config,
}

impl Settings {
    /// Reads `LISTEN`, `PG__HOST`, `PG__POOL__MAX_SIZE`, `PG__POOL__TIMEOUTS__WAIT__SECS`, ...
    pub fn from_env() -> Result<Self, config::ConfigError> {
        config::Config::builder()
            .set_default("listen", "0.0.0.0:8088")?
            .add_source(config::File::with_name("audit-log").required(false))
            .add_source(config::Environment::default().separator("__"))
            .build()?
            .try_deserialize()
    }
}
