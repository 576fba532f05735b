// sqlx: while the transaction from `pool` is open, `sqlx::query(..).execute(&pool)` runs on the pool
// itself: an implicit checkout of a second connection before `tx.commit()`. Use `&mut *tx` instead.
use sqlx::PgPool;
use uuid::Uuid;

pub async fn transfer_ownership(
    pool: PgPool,
    project_id: Uuid,
    new_owner: Uuid,
    actor: Uuid,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE projects SET owner_id = $2 WHERE id = $1")
        .bind(project_id)
        .bind(new_owner)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2")
        .bind(project_id)
        .bind(new_owner)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO project_events (project_id, kind, actor_id) VALUES ($1, 'owner_changed', $2)",
    )
    .bind(project_id)
    .bind(actor)
    .execute(&pool) //~ nested_checkout
    .await?;
    tx.commit().await?;
    Ok(())
}
