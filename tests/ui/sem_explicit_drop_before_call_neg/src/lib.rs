use std::mem;

use bb8::Pool;
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;
use uuid::Uuid;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

pub async fn archive_project(pool: &PgPool, project_id: Uuid) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.execute("UPDATE projects SET archived_at = now() WHERE id = $1", &[&project_id])
        .await?;
    drop(conn);

    purge_project_cache(pool, project_id).await?;
    Ok(())
}

pub async fn rename_project(pool: &PgPool, project_id: Uuid, name: &str, actor: Uuid) -> anyhow::Result<bool> {
    let conn = pool.get().await?;
    let changed = conn
        .execute(
            "UPDATE projects SET name = $2 WHERE id = $1 AND name IS DISTINCT FROM $2",
            &[&project_id, &name],
        )
        .await?;
    mem::drop(conn);

    if changed == 1 {
        record_activity(pool, project_id, actor, "project.renamed").await?;
    }
    Ok(changed == 1)
}

pub async fn transfer_project(pool: &PgPool, project_id: Uuid, new_owner: Uuid, actor: Uuid) -> anyhow::Result<()> {
    let mut conn = pool.get().await?;
    let tx = conn.transaction().await?;
    tx.execute("UPDATE projects SET owner_id = $2 WHERE id = $1", &[&project_id, &new_owner])
        .await?;
    tx.execute("DELETE FROM project_invites WHERE project_id = $1", &[&project_id])
        .await?;
    tx.commit().await?;
    std::mem::drop(conn);

    record_activity(pool, project_id, actor, "project.transferred").await?;
    purge_project_cache(pool, project_id).await?;
    Ok(())
}

async fn purge_project_cache(pool: &PgPool, project_id: Uuid) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.execute("DELETE FROM project_cache WHERE project_id = $1", &[&project_id])
        .await?;
    Ok(())
}

async fn record_activity(pool: &PgPool, project_id: Uuid, actor: Uuid, kind: &str) -> anyhow::Result<()> {
    let conn = pool.get().await?;
    conn.execute(
        "INSERT INTO activity (project_id, actor_id, kind) VALUES ($1, $2, $3)",
        &[&project_id, &actor, &kind],
    )
    .await?;
    Ok(())
}
