use deadpool_postgres::Runtime;
use serde::Deserialize;
use tokio_postgres::NoTls;

/// Loaded from `config/default.toml` and `APP__*` variables, e.g.
/// `APP__PG__URL`, `APP__PG__POOL__MAX_SIZE`, `APP__PG__POOL__TIMEOUTS__WAIT__SECS`.
#[derive(Debug, Deserialize)]
struct Settings {
    listen_addr: String,
    pg: deadpool_postgres::Config,
}

impl Settings {
    fn load() -> Result<Self, config::ConfigError> {
        config::Config::builder()
            .add_source(config::File::with_name("config/default").required(false))
            .add_source(config::Environment::with_prefix("APP").separator("__"))
            .build()?
            .try_deserialize()
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    dotenvy::dotenv().ok();
    let settings = Settings::load()?;
    let pool = settings.pg.create_pool(Some(Runtime::Tokio1), NoTls)?;

    let client = pool.get().await?;
    let row = client.query_one("SELECT count(*) FROM notes", &[]).await?;
    let notes: i64 = row.get(0);
    drop(client);

    println!("notes-server on {} ({notes} notes)", settings.listen_addr);
    Ok(())
}
