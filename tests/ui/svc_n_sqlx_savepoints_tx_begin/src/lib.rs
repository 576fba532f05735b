use sqlx::{Connection, PgConnection, PgPool};

#[derive(Debug, Clone)]
pub struct Contact {
    pub email: String,
    pub name: String,
    pub company: Option<String>,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: usize,
    pub failed: Vec<(String, String)>,
}

async fn insert_contact(conn: &mut PgConnection, list_id: i64, c: &Contact) -> sqlx::Result<()> {
    let contact_id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (email, name, company) VALUES ($1, $2, $3) \
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id",
    )
    .bind(&c.email)
    .bind(&c.name)
    .bind(&c.company)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO list_members (list_id, contact_id) VALUES ($1, $2)")
        .bind(list_id)
        .bind(contact_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Imports a batch; a bad row is rolled back to its savepoint and reported, the rest goes in.
pub async fn import_batch(pool: &PgPool, list_id: i64, batch: &[Contact]) -> sqlx::Result<ImportReport> {
    let mut tx = pool.begin().await?;
    let mut report = ImportReport::default();

    for contact in batch {
        let mut savepoint = tx.begin().await?;
        match insert_contact(&mut savepoint, list_id, contact).await {
            Ok(()) => {
                savepoint.commit().await?;
                report.imported += 1;
            }
            Err(e) => {
                savepoint.rollback().await?;
                report.failed.push((contact.email.clone(), e.to_string()));
            }
        }
    }

    sqlx::query("UPDATE lists SET member_count = (SELECT count(*) FROM list_members WHERE list_id = $1) WHERE id = $1")
        .bind(list_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(report)
}

pub async fn merge_lists(pool: &PgPool, keep: i64, merge: i64) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SET lock_timeout = '5s'").execute(&mut *conn).await?;

    let mut tx = conn.begin().await?;
    sqlx::query("INSERT INTO list_members (list_id, contact_id) SELECT $1, contact_id FROM list_members WHERE list_id = $2 ON CONFLICT DO NOTHING")
        .bind(keep)
        .bind(merge)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lists WHERE id = $1").bind(merge).execute(&mut *tx).await?;
    tx.commit().await
}
