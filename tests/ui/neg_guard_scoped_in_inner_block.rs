// Negative: the client is taken inside an inner block and dropped at its end; `audit::record` runs
// after the block, when no connection of the pool is held.
use deadpool_postgres::Pool;

mod audit {
    use deadpool_postgres::Pool;

    pub async fn record(pool: &Pool, actor_id: i64, action: &str) -> anyhow::Result<()> {
        let client = pool.get().await?;
        client
            .execute("INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)", &[&actor_id, &action])
            .await?;
        Ok(())
    }
}

pub async fn rename_board(pool: &Pool, board_id: i64, name: &str) -> anyhow::Result<()> {
    let owner_id: i64 = {
        let client = pool.get().await?;
        let row = client
            .query_one(
                "UPDATE boards SET name = $2 WHERE id = $1 RETURNING owner_id",
                &[&board_id, &name],
            )
            .await?;
        row.get(0)
    };
    audit::record(pool, owner_id, "board.rename").await?;
    Ok(())
}
