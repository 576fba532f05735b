use sqlx::PgConnection;

use super::Product;

pub async fn find(conn: &mut PgConnection, id: i64) -> Result<Option<Product>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, slug FROM products WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(conn)
        .await
}
