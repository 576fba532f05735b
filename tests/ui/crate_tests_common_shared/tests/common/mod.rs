//! Fixtures shared by the integration tests.

use sqlx::PgPool;

/// Inserts a customer on a pooled connection of its own.
pub async fn seed_customer(pool: &PgPool, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("INSERT INTO customers (email) VALUES ($1) RETURNING id")
        .bind(email)
        .fetch_one(pool)
        .await
        .expect("seed a customer");
    id
}
