// A closure stored in a variable runs where it is called, not where it is written: here it is
// defined before the transaction and called while `tx` is open, so its query on `pool` nests.
// The second handler calls it only after the commit.
use sqlx::PgPool;

async fn bump_version(pool: &PgPool, doc: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE documents SET version = version + 1 WHERE id = $1")
        .bind(doc)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn save_draft(pool: &PgPool, doc: i64, body: &str) -> sqlx::Result<()> {
    let bump = || bump_version(pool, doc);
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE documents SET draft = $2 WHERE id = $1")
        .bind(doc)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    bump().await?; //~ nested_checkout
    tx.commit().await
}

pub async fn publish(pool: &PgPool, doc: i64) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    let bump = || bump_version(pool, doc);
    tx.commit().await?;
    bump().await
}
