use deadpool_redis::redis::AsyncCommands;
use deadpool_redis::{Config, CreatePoolError, Pool, PoolConfig, Runtime, Timeouts};

pub struct FlagStore {
    pool: Pool,
    namespace: String,
}

impl FlagStore {
    pub fn connect(redis_url: &str, namespace: &str) -> Result<Self, CreatePoolError> {
        let cfg = Config {
            url: Some(redis_url.to_owned()),
            connection: None,
            pool: Some(PoolConfig {
                max_size: 32,
                // flag lookups sit on the request path: fail fast rather than queue
                timeouts: Timeouts::wait_millis(500),
                ..Default::default()
            }),
        };
        let pool = cfg.create_pool(Some(Runtime::Tokio1))?;
        Ok(Self {
            pool,
            namespace: namespace.to_owned(),
        })
    }

    pub async fn is_enabled(&self, flag: &str, default: bool) -> bool {
        let Ok(mut conn) = self.pool.get().await else {
            return default;
        };
        let key = format!("{}:flag:{flag}", self.namespace);
        match conn.get::<_, Option<String>>(&key).await {
            Ok(Some(value)) => value == "on",
            _ => default,
        }
    }

    pub async fn set(&self, flag: &str, enabled: bool) -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = self.pool.get().await?;
        let key = format!("{}:flag:{flag}", self.namespace);
        let _: () = conn.set(&key, if enabled { "on" } else { "off" }).await?;
        Ok(())
    }
}
