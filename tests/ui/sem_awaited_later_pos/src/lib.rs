use sqlx::PgPool;
use uuid::Uuid;

const WELCOME_CREDIT_CENTS: i64 = 500;

pub async fn activate_user(pool: &PgPool, user_id: Uuid, plan: &str) -> anyhow::Result<()> {
    let welcome = grant_welcome_credit(pool, user_id);

    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET plan = $1, activated_at = now() WHERE id = $2")
        .bind(plan)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let credit_id = welcome.await?; //~ nested_checkout
    sqlx::query("UPDATE users SET welcome_credit_id = $1 WHERE id = $2")
        .bind(credit_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn rebuild_tenant(pool: PgPool, tenant: Uuid) -> anyhow::Result<u64> {
    let index_job = tokio::spawn(rebuild_search_index(pool.clone(), tenant));

    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock(hashtext($1::text))")
        .bind(tenant)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE tenants SET rebuild_started_at = now() WHERE id = $1")
        .bind(tenant)
        .execute(&mut *conn)
        .await?;

    let indexed = index_job.await??; //~ nested_checkout

    sqlx::query("UPDATE tenants SET rebuild_finished_at = now(), indexed_docs = $2 WHERE id = $1")
        .bind(tenant)
        .bind(indexed as i64)
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_advisory_unlock(hashtext($1::text))")
        .bind(tenant)
        .execute(&mut *conn)
        .await?;
    Ok(indexed)
}

async fn grant_welcome_credit(pool: &PgPool, user_id: Uuid) -> Result<Uuid, sqlx::Error> {
    let credit_id = Uuid::new_v4();
    sqlx::query("INSERT INTO credits (id, user_id, amount_cents, reason) VALUES ($1, $2, $3, 'welcome')")
        .bind(credit_id)
        .bind(user_id)
        .bind(WELCOME_CREDIT_CENTS)
        .execute(pool)
        .await?;
    Ok(credit_id)
}

async fn rebuild_search_index(pool: PgPool, tenant: Uuid) -> anyhow::Result<u64> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM search_documents WHERE tenant_id = $1")
        .bind(tenant)
        .execute(&mut *tx)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO search_documents (tenant_id, doc_id, body) SELECT tenant_id, id, body FROM documents WHERE tenant_id = $1",
    )
    .bind(tenant)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(inserted)
}
