use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Executor, PgPool, Row};
use uuid::Uuid;

use crate::{audit, KeyError};

fn new_secret() -> (String, String) {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let secret = hex::encode(raw);
    let hash = hex::encode(Sha256::digest(secret.as_bytes()));
    (secret, hash)
}

/// Revokes the account's current key and issues a new one; returns the new secret.
pub async fn rotate(pool: &PgPool, account: Uuid, actor: Uuid) -> Result<String, KeyError> {
    let mut conn = pool.acquire().await?;

    let current = pool.fetch_optional(sqlx::query("SELECT id FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL").bind(account)).await?; //~ nested_checkout
    let Some(current) = current else {
        return Err(KeyError::NoActiveKey(account));
    };
    let old_id: Uuid = current.try_get("id")?;

    let (secret, hash) = new_secret();
    let new_id = Uuid::new_v4();
    sqlx::query("UPDATE api_keys SET revoked_at = now() WHERE id = $1")
        .bind(old_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO api_keys (id, account_id, secret_hash) VALUES ($1, $2, $3)")
        .bind(new_id)
        .bind(account)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;

    audit::record(&mut *conn, actor, "api_key.issued", new_id).await?;
    audit::record(pool, actor, "api_key.revoked", old_id).await?; //~ nested_checkout
    pool.execute("NOTIFY api_keys_changed").await?; //~ nested_checkout

    Ok(secret)
}
