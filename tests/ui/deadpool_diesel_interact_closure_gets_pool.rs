// deadpool-diesel: `archive_thread` holds `conn` while awaiting `conn.interact(..)`, and the
// closure (run on a blocking thread) checks out again from the same pool with `stats_pool.get()`.
use deadpool_diesel::postgres::Pool;
use diesel::prelude::*;

use crate::schema::{messages, threads};

pub async fn archive_thread(pool: &Pool, thread_id: i32) -> anyhow::Result<usize> {
    let conn = pool.get().await?;
    let stats_pool = pool.clone();
    let rt = tokio::runtime::Handle::current();
    let moved = conn
        .interact(move |conn| -> QueryResult<usize> {
            let moved = diesel::update(messages::table.filter(messages::thread_id.eq(thread_id)))
                .set(messages::archived.eq(true))
                .execute(conn)?;
            // refresh the board counters through the pool from inside the blocking closure
            let board = rt.block_on(stats_pool.get()).expect("board connection"); //~ nested_checkout
            let mut board_conn = board.lock().expect("board connection lock");
            diesel::update(threads::table.find(thread_id))
                .set(threads::archived_count.eq(moved as i32))
                .execute(&mut *board_conn)?;
            Ok(moved)
        })
        .await
        .map_err(|e| anyhow::anyhow!("interact failed: {e}"))??;
    Ok(moved)
}
