//! pgmove: copies tables from one Postgres database to another, row by row as JSON, and
//! checks the result.

mod copy;
mod error;
mod pools;
mod tables;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing::{error, info};

use crate::copy::CopyOptions;
use crate::error::MoveError;
use crate::pools::Pools;

#[derive(Parser)]
#[command(name = "pgmove", version, about = "Copy tables between two Postgres databases")]
struct Cli {
    /// Database to read from.
    #[arg(long, env = "SOURCE_DATABASE_URL")]
    source: String,
    /// Database to write to.
    #[arg(long, env = "TARGET_DATABASE_URL")]
    target: String,
    /// Connections per pool.
    #[arg(long, default_value_t = 4)]
    connections: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check that both databases answer.
    Ping,
    /// Copy tables (all known tables when none is given).
    Copy {
        #[arg(long, value_delimiter = ',')] tables: Vec<String>,
        #[arg(long, default_value_t = 1000)] batch: usize,
        /// Read the source in one REPEATABLE READ snapshot.
        #[arg(long)] snapshot: bool,
        #[arg(long)] dry_run: bool,
    },
    /// Compare row counts and a sample of rows.
    Verify { #[arg(long, value_delimiter = ',')] tables: Vec<String> },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => { error!("{e}"); ExitCode::FAILURE }
    }
}

async fn run(cli: Cli) -> Result<(), MoveError> {
    let pools = Pools::connect(&cli.source, &cli.target, cli.connections).await?;
    match cli.command {
        Command::Ping => pools.ping().await,
        Command::Copy { tables, batch, snapshot, dry_run } => {
            let opts = CopyOptions { batch, dry_run };
            for spec in tables::resolve(&tables)? {
                let n = if snapshot {
                    copy::copy_snapshot(&pools, spec, &opts).await?
                } else {
                    copy::copy_table(&pools, spec, &opts).await?
                };
                info!(table = spec.name, rows = n, "copied");
            }
            Ok(())
        }
        Command::Verify { tables } => {
            let reports = verify::verify(&pools, &tables::resolve(&tables)?).await?;
            let bad: Vec<_> = reports.iter().filter(|r| !r.ok()).collect();
            for r in &reports {
                info!(table = r.table, source = r.source_rows, target = r.target_rows, mismatched = r.mismatched.len(), "verified");
            }
            if bad.is_empty() { Ok(()) } else { Err(MoveError::Mismatch(bad.len())) }
        }
    }
}
