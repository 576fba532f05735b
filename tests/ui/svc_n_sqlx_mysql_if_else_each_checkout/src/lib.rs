use sqlx::MySqlPool;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub id: Option<u64>,
    pub author_id: u64,
    pub body: String,
}

async fn count_by_author(pool: &MySqlPool, author_id: u64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM drafts WHERE author_id = ?")
        .bind(author_id)
        .fetch_one(pool)
        .await
}

pub async fn save_draft(pool: &MySqlPool, draft: &Draft) -> sqlx::Result<u64> {
    if let Some(id) = draft.id {
        let mut conn = pool.acquire().await?;
        sqlx::query("UPDATE drafts SET body = ?, updated_at = NOW() WHERE id = ?")
            .bind(&draft.body)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(id)
    } else {
        let mut tx = pool.begin().await?;
        let res = sqlx::query("INSERT INTO drafts (author_id, body) VALUES (?, ?)")
            .bind(draft.author_id)
            .bind(&draft.body)
            .execute(&mut *tx)
            .await?;
        let id = res.last_insert_id();
        sqlx::query("INSERT INTO draft_revisions (draft_id, body) VALUES (?, ?)")
            .bind(id)
            .bind(&draft.body)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}

pub async fn draft_count(pool: &MySqlPool, author_id: Option<u64>) -> sqlx::Result<i64> {
    let n = if let Some(author) = author_id {
        count_by_author(pool, author).await?
    } else {
        sqlx::query_scalar("SELECT COUNT(*) FROM drafts").fetch_one(pool).await?
    };
    Ok(n)
}
