// Calls through a renamed import: `tickets::assign` holds a transaction and calls `find_user`,
// which is `crate::db::users::find` imported under another name; it queries the same pool.
mod db;
mod tickets;

use sqlx::postgres::PgPoolOptions;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let pool = PgPoolOptions::new().max_connections(5).connect(&url).await?;
    let ticket_id: i64 = std::env::args().nth(1).unwrap_or_default().parse()?;
    let agent_id: i64 = std::env::args().nth(2).unwrap_or_default().parse()?;
    tickets::assign(&pool, ticket_id, agent_id).await?;
    Ok(())
}
