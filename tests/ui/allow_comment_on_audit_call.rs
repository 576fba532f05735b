// A nested checkout the team has reviewed: the audit helper runs on the same pool, but the
// comment says why it is acceptable here. The allow on the line above silences it; the allow
// above the second function covers its whole body.
use sqlx::PgPool;

async fn record_audit(pool: &PgPool, actor: i64, action: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO audit_log (actor_id, action) VALUES ($1, $2)")
        .bind(actor)
        .bind(action)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn ban_user(pool: &PgPool, admin: i64, user: i64) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET banned = true WHERE id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    // poolcheck: allow(nested_checkout) -- max_connections is 50 and bans are rare admin actions
    record_audit(pool, admin, "user.ban").await?;
    tx.commit().await
}

// poolcheck: allow(nested_checkout) -- runs once at start-up, before any request is served
pub async fn seed_admins(pool: &PgPool, admins: &[i64]) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    for &admin in admins {
        sqlx::query("INSERT INTO admins (user_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(admin)
            .execute(&mut *tx)
            .await?;
        record_audit(pool, admin, "admin.seed").await?;
    }
    tx.commit().await
}
