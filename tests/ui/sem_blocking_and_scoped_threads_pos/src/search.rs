use crate::db::DbPool;

pub struct ShardRange {
    pub first_id: i64,
    pub last_id: i64,
}

/// Rebuilds the search index shard by shard, one thread per shard.
pub fn reindex_all(pool: &DbPool, shards: &[ShardRange]) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    conn.execute("UPDATE search_meta SET reindex_started_at = now()", &[])?;

    std::thread::scope(|s| {
        for shard in shards {
            s.spawn(move || reindex_shard(pool, shard)); //~ nested_checkout
        }
    });

    conn.execute("UPDATE search_meta SET reindex_finished_at = now()", &[])?;
    Ok(())
}

fn reindex_shard(pool: &DbPool, shard: &ShardRange) -> anyhow::Result<u64> {
    let mut conn = pool.get()?;
    let n = conn.execute(
        "UPDATE documents SET search_vector = to_tsvector('simple', title || ' ' || body) WHERE id BETWEEN $1 AND $2",
        &[&shard.first_id, &shard.last_id],
    )?;
    Ok(n)
}
