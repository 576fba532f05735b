// orders-archiver CLI. Negative case: `archive` holds a PRIMARY transaction while writing to ARCHIVE and `restore`
// holds an ARCHIVE transaction while writing to PRIMARY, but main runs exactly one subcommand per process
// (a `match` on the parsed command), so the two paths can never run at the same time.
mod commands;
mod db;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "orders-archiver", version, about = "Move old orders between the primary and archive databases")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Move orders older than N days into the archive database.
    Archive {
        #[arg(long, default_value_t = 365)]
        older_than_days: i32,
        #[arg(long, default_value_t = 1000)]
        batch_size: i64,
    },
    /// Copy a customer's archived orders back into the primary database.
    Restore {
        #[arg(long)]
        customer_id: i64,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Archive { older_than_days, batch_size } => {
            let moved = commands::archive::run(older_than_days, batch_size).await?;
            println!("archived {moved} orders");
        }
        Command::Restore { customer_id } => {
            let restored = commands::restore::run(customer_id).await?;
            println!("restored {restored} orders for customer {customer_id}");
        }
    }
    Ok(())
}
