mod common;

use sqlx::PgPool;

#[sqlx::test]
async fn a_customer_can_be_created(pool: PgPool) {
    let id = common::seed_customer(&pool, "ada@example.com").await;
    assert!(id > 0);
}
