use deadpool_postgres::Pool;

pub async fn can_read(pool: &Pool, user_id: i64, folder_id: i64) -> Result<bool, crate::db::DbError> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT 1 FROM public.folder_grants WHERE user_id = $1 AND folder_id = $2 AND can_read",
            &[&user_id, &folder_id],
        )
        .await?;
    Ok(row.is_some())
}
