//! Operator CLI for user accounts.

use clap::{Parser, Subcommand};
use deadpool_postgres::{Config, Pool, Runtime};
use tokio_postgres::NoTls;

#[derive(Parser)]
struct Cli {
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Create { email: String },
    Disable { id: i64 },
    Stats,
    Purge { days: i32 },
}

async fn disable_user(pool: &Pool, id: i64) -> anyhow::Result<()> {
    let client = pool.get().await?;
    let n = client
        .execute("UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL", &[&id])
        .await?;
    anyhow::ensure!(n == 1, "user {id} not found or already disabled");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut cfg = Config::new();
    cfg.url = Some(cli.database_url.clone());
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls)?; //~ unbounded_checkout_wait

    match cli.command {
        Command::Create { email } => {
            let client = pool.get().await?;
            let row = client
                .query_one("INSERT INTO users (email) VALUES ($1) RETURNING id", &[&email])
                .await?;
            println!("created user {}", row.get::<_, i64>(0));
        }
        Command::Disable { id } => disable_user(&pool, id).await?,
        Command::Stats => {
            let client = pool.get().await?;
            let row = client
                .query_one(
                    "SELECT count(*), count(*) FILTER (WHERE disabled_at IS NOT NULL) FROM users",
                    &[],
                )
                .await?;
            println!("users: {} total, {} disabled", row.get::<_, i64>(0), row.get::<_, i64>(1));
        }
        Command::Purge { days } => {
            let mut client = pool.get().await?;
            let tx = client.transaction().await?;
            tx.execute(
                "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE disabled_at < now() - make_interval(days => $1))",
                &[&days],
            )
            .await?;
            let n = tx
                .execute("DELETE FROM users WHERE disabled_at < now() - make_interval(days => $1)", &[&days])
                .await?;
            tx.commit().await?;
            println!("purged {n} users");
        }
    }
    Ok(())
}
