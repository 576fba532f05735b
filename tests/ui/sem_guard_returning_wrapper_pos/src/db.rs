use actix_web::http::StatusCode;
use actix_web::ResponseError;
use deadpool_postgres::{Client, Pool};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("postgres: {0}")]
    Pg(#[from] tokio_postgres::Error),
    #[error("forbidden")]
    Forbidden,
}

impl ResponseError for DbError {
    fn status_code(&self) -> StatusCode {
        match self {
            DbError::Forbidden => StatusCode::FORBIDDEN,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A client with the tenant's schema on its search path.
pub async fn tenant_client(pool: &Pool, tenant: &str) -> Result<Client, DbError> {
    let client = pool.get().await?;
    client
        .batch_execute(&format!("SET search_path TO \"{}\", public", tenant.replace('"', "")))
        .await?;
    Ok(client)
}
