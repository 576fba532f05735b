// tokio-postgres through deadpool: the transaction borrows the client, so awaiting it is using
// the client; the stream of rows is the client's too.
use deadpool_postgres::Pool;
use futures::{pin_mut, TryStreamExt};

pub async fn move_overdue(pool: &Pool) -> anyhow::Result<u64> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let stmt = tx.prepare("UPDATE invoices SET state = 'overdue' WHERE due < now() AND state = 'open'").await?;
    let n = tx.execute(&stmt, &[]).await?;
    tx.commit().await?;
    Ok(n)
}

pub async fn total_open(pool: &Pool) -> anyhow::Result<i64> {
    let client = pool.get().await?;
    let params: Vec<String> = Vec::new();
    let rows = client.query_raw("SELECT cents FROM invoices WHERE state = 'open'", params).await?;
    pin_mut!(rows);
    let mut total = 0i64;
    while let Some(row) = rows.try_next().await? {
        total += row.get::<_, i64>(0);
    }
    Ok(total)
}
