use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use sqlx::{PgConnection, PgPool};
use tracing::{info, warn};

use crate::error::MoveError;
use crate::pools::{count_rows, Pools};
use crate::tables::TableSpec;

pub struct CopyOptions {
    pub batch: usize,
    pub dry_run: bool,
}

/// Streams the source table and writes it into the target in one transaction.
pub async fn copy_table(pools: &Pools, spec: &TableSpec, opts: &CopyOptions) -> Result<u64, MoveError> {
    let total = count_rows(&pools.source, spec.name).await?;
    if opts.dry_run {
        let mut conn = pools.target.acquire().await?;
        ensure_target_table(&mut conn, spec).await?;
        info!(table = spec.name, rows = total, "dry run: would copy");
        return Ok(0);
    }

    let mut tx = pools.target.begin().await?;
    sqlx::query(&format!("TRUNCATE {} CASCADE", spec.name)).execute(&mut *tx).await?;

    let copied = Arc::new(AtomicU64::new(0));
    let progress = spawn_progress(pools.target.clone(), spec.name, Arc::clone(&copied), total);

    // The stream holds a source connection until it ends; the writes go to the target.
    let mut rows = sqlx::query_scalar::<_, String>(&spec.all_sql()).fetch(&pools.source);
    let mut batch: Vec<String> = Vec::with_capacity(opts.batch);
    while let Some(doc) = rows.try_next().await? { //~ guard_held_across_await
        batch.push(doc);
        if batch.len() >= opts.batch {
            let n = write_batch(&mut tx, spec, &mut batch).await?; //~ guard_held_across_await
            copied.fetch_add(n, Ordering::Relaxed);
        }
    }
    drop(rows);
    if !batch.is_empty() {
        let n = write_batch(&mut tx, spec, &mut batch).await?;
        copied.fetch_add(n, Ordering::Relaxed);
    }
    tx.commit().await?;
    progress.abort();

    reset_sequence(&pools.target, spec).await?;
    Ok(copied.load(Ordering::Relaxed))
}

/// Pages through the source inside one REPEATABLE READ transaction (a consistent snapshot)
/// and commits every page on the target as it goes.
pub async fn copy_snapshot(pools: &Pools, spec: &TableSpec, opts: &CopyOptions) -> Result<u64, MoveError> {
    let mut src = pools.source.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *src).await?;
    let mut last_key: Option<i64> = None;
    let mut copied = 0;
    loop {
        let page: Vec<(i64, String)> = sqlx::query_as(&spec.page_sql())
            .bind(last_key)
            .bind(opts.batch as i64)
            .fetch_all(&mut *src)
            .await?;
        let Some((key, _)) = page.last() else { break };
        last_key = Some(*key);
        if !opts.dry_run {
            copied += insert_docs(&pools.target, spec, page.iter().map(|(_, doc)| doc.as_str())).await?; //~ guard_held_across_await
        }
    }
    src.commit().await?;
    Ok(copied)
}

async fn insert_docs<'a>(target: &PgPool, spec: &TableSpec, docs: impl Iterator<Item = &'a str>) -> Result<u64, MoveError> {
    let json = format!("[{}]", docs.collect::<Vec<_>>().join(","));
    let done = sqlx::query(&spec.insert_sql()).bind(json).execute(target).await?;
    Ok(done.rows_affected())
}

/// Writes one batch in a savepoint so a bad batch can be retried row by row.
async fn write_batch(tx: &mut PgConnection, spec: &TableSpec, batch: &mut Vec<String>) -> Result<u64, MoveError> {
    let json = format!("[{}]", batch.join(","));
    let mut sp = sqlx::Connection::begin(&mut *tx).await?;
    let attempt = sqlx::query(&spec.insert_sql()).bind(&json).execute(&mut *sp).await;
    let n = match attempt {
        Ok(done) => {
            sp.commit().await?;
            done.rows_affected()
        }
        Err(e) => {
            sp.rollback().await?;
            warn!(table = spec.name, error = %e, "batch rejected; inserting rows one by one");
            let mut n = 0;
            for doc in batch.iter() {
                n += sqlx::query(&spec.insert_sql()).bind(format!("[{doc}]")).execute(&mut *tx).await?.rows_affected();
            }
            n
        }
    };
    batch.clear();
    Ok(n)
}

async fn ensure_target_table(conn: &mut PgConnection, spec: &TableSpec) -> Result<(), MoveError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL").bind(spec.name).fetch_one(conn).await?;
    if exists { Ok(()) } else { Err(MoveError::MissingTarget(spec.name)) }
}

async fn reset_sequence(target: &PgPool, spec: &TableSpec) -> Result<(), MoveError> {
    let sql = format!("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), coalesce(max({1}), 1)) FROM {0}", spec.name, spec.key);
    sqlx::query(&sql).execute(target).await?;
    Ok(())
}

/// Logs progress every few seconds into the target's `_pgmove_progress` table, on its own task.
fn spawn_progress(target: PgPool, table: &'static str, copied: Arc<AtomicU64>, total: i64) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            let n = copied.load(Ordering::Relaxed) as i64;
            info!(table, copied = n, total, "progress");
            let res = sqlx::query(
                "INSERT INTO _pgmove_progress (table_name, copied, total, at) VALUES ($1, $2, $3, now()) \
                 ON CONFLICT (table_name) DO UPDATE SET copied = $2, at = now()",
            )
            .bind(table).bind(n).bind(total)
            .execute(&target)
            .await;
            if let Err(e) = res { warn!(error = %e, "progress not recorded"); }
        }
    })
}
