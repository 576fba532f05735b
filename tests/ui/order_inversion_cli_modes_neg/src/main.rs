//! A command-line tool with two modes, one per run: `push` holds a source transaction while it
//! writes to the target, `pull` the other way round. They never run at the same time in one
//! process, so the opposite orders cannot deadlock the tool's two pools.
use clap::{Parser, Subcommand};
use sqlx::postgres::{PgPool, PgPoolOptions};

struct Pools {
    source: PgPool,
    target: PgPool,
}

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    Push,
    Pull,
}

async fn write_target(pools: &Pools, n: i64) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO synced (n) VALUES ($1)").bind(n).execute(&pools.target).await?;
    Ok(())
}

async fn write_source(pools: &Pools, n: i64) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO synced (n) VALUES ($1)").bind(n).execute(&pools.source).await?;
    Ok(())
}

async fn push(pools: &Pools) -> anyhow::Result<()> {
    let mut tx = pools.source.begin().await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants").fetch_one(&mut *tx).await?;
    write_target(pools, n).await?; //~ guard_held_across_await
    tx.commit().await?;
    Ok(())
}

async fn pull(pools: &Pools) -> anyhow::Result<()> {
    let mut tx = pools.target.begin().await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants").fetch_one(&mut *tx).await?;
    write_source(pools, n).await?; //~ guard_held_across_await
    tx.commit().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let pools = Pools {
        source: PgPoolOptions::new().max_connections(2).connect(&std::env::var("SOURCE_URL")?).await?,
        target: PgPoolOptions::new().max_connections(2).connect(&std::env::var("TARGET_URL")?).await?,
    };
    match cli.mode {
        Mode::Push => push(&pools).await?,
        Mode::Pull => pull(&pools).await?,
    }
    Ok(())
}
