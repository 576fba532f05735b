use sqlx::PgPool;
use uuid::Uuid;

/// Primary for writes, replica for reads that tolerate a little lag.
#[derive(Clone)]
pub struct Db {
    pub reader: PgPool,
    pub writer: PgPool,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("email already registered")]
    EmailTaken,
    #[error("handle {0} is reserved")]
    Reserved(String),
}

pub struct UserRepo {
    db: Db,
}

impl UserRepo {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn register(&self, email: &str, handle: &str, password_hash: &str) -> Result<Uuid, RegisterError> {
        let mut tx = self.db.writer.begin().await?;

        if self.email_taken(email).await? { //~ guard_held_across_await
            return Err(RegisterError::EmailTaken);
        }
        if self.is_reserved(handle).await? {
            return Err(RegisterError::Reserved(handle.to_string()));
        }

        let id = Uuid::new_v4();
        sqlx::query("INSERT INTO users (id, email, handle, password_hash) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(email)
            .bind(handle)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn email_taken(&self, email: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1))")
            .bind(email)
            .fetch_one(&self.db.reader)
            .await
    }

    async fn is_reserved(&self, handle: &str) -> Result<bool, sqlx::Error> {
        let reader = &self.db.reader;
        let mut conn = reader.acquire().await?;
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM reserved_handles WHERE handle = $1)")
            .bind(handle)
            .fetch_one(&mut *conn)
            .await
    }
}
