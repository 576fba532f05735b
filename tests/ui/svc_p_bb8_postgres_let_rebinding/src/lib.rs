//! Session-token authorization for the admin API.

use bb8::{Pool, RunError};
use bb8_postgres::PostgresConnectionManager;
use tokio_postgres::NoTls;

pub type PgPool = Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("database unavailable: {0}")]
    Pool(#[from] RunError<tokio_postgres::Error>),
    #[error("query failed: {0}")]
    Query(#[from] tokio_postgres::Error),
    #[error("unknown or expired session token")]
    UnknownToken,
    #[error("missing role {0}")]
    Forbidden(String),
}

#[derive(Debug)]
pub struct Session {
    pub user_id: i64,
    pub roles: Vec<String>,
}

async fn effective_roles(pool: &PgPool, user_id: i64) -> Result<Vec<String>, AuthError> {
    let conn = pool.get().await?;
    let rows = conn
        .query(
            "SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1 \
             UNION SELECT r.name FROM group_members gm JOIN group_roles gr ON gr.group_id = gm.group_id \
             JOIN roles r ON r.id = gr.role_id WHERE gm.user_id = $1",
            &[&user_id],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

pub async fn authorize(pool: &PgPool, token: &str, needed_role: &str) -> Result<Session, AuthError> {
    let conn = pool.get().await.map_err(AuthError::from)?;
    let row = conn
        .query_opt(
            "SELECT user_id FROM sessions WHERE token = $1 AND expires_at > now()",
            &[&token],
        )
        .await?;
    let Some(row) = row else {
        return Err(AuthError::UnknownToken);
    };

    // Keep the same connection for the last_seen update below.
    let session_conn = conn;
    let user_id: i64 = row.get(0);

    let roles = effective_roles(pool, user_id).await?; //~ nested_checkout
    if !roles.iter().any(|r| r == needed_role) {
        return Err(AuthError::Forbidden(needed_role.to_owned()));
    }

    session_conn
        .execute("UPDATE sessions SET last_seen_at = now() WHERE token = $1", &[&token])
        .await?;
    Ok(Session { user_id, roles })
}
