// Negative: `tx.begin()` on a held transaction opens a SAVEPOINT on the same connection, and
// `conn.begin()` on a held `PoolConnection` starts a transaction on it: neither is a checkout.
use sqlx::{Connection, PgPool};

pub struct Contact {
    pub email: String,
    pub name: String,
}

pub async fn import_contacts(pool: &PgPool, list_id: i64, contacts: &[Contact]) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let mut imported = 0;
    for contact in contacts {
        // one savepoint per contact, so a bad row does not abort the whole import
        let mut savepoint = tx.begin().await?;
        let inserted = sqlx::query("INSERT INTO contacts (list_id, email, name) VALUES ($1, $2, $3)")
            .bind(list_id)
            .bind(&contact.email)
            .bind(&contact.name)
            .execute(&mut *savepoint)
            .await;
        match inserted {
            Ok(_) => {
                savepoint.commit().await?;
                imported += 1;
            }
            Err(err) => {
                tracing::warn!(%err, email = %contact.email, "skipping contact");
                savepoint.rollback().await?;
            }
        }
    }
    tx.commit().await?;
    Ok(imported)
}

pub async fn clear_list(pool: &PgPool, list_id: i64) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    sqlx::query("DELETE FROM contacts WHERE list_id = $1").bind(list_id).execute(&mut *tx).await?;
    sqlx::query("UPDATE lists SET size = 0 WHERE id = $1").bind(list_id).execute(&mut *tx).await?;
    tx.commit().await
}
