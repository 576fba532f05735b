// Queries on users; each runs on the pool it is given (an implicit checkout).
use sqlx::{FromRow, PgPool};

#[derive(Debug, FromRow)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub is_agent: bool,
}

pub async fn find(pool: &PgPool, id: i64) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as::<_, User>("SELECT id, name, is_agent FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
