mod common;

use sqlx::PgPool;

#[sqlx::test]
async fn an_invoice_rolls_back_with_its_customer(pool: PgPool) {
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query("SET LOCAL statement_timeout = '5s'")
        .execute(&mut *tx)
        .await
        .expect("set timeout");
    // Seeded through the pool, not through `tx`: a second connection while `tx` holds one.
    let customer = common::seed_customer(&pool, "grace@example.com").await; //~ nested_checkout
    let invoice = billing::open_invoice(&pool, customer).await.expect("open"); //~ nested_checkout
    assert!(invoice > 0);
    tx.rollback().await.expect("rollback");
}
