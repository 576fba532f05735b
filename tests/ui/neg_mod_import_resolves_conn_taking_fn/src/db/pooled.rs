use sqlx::PgPool;

use super::Product;

pub async fn find(pool: &PgPool, id: i64) -> Result<Option<Product>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, slug FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
