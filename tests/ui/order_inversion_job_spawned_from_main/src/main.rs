//! `main` spawns the reconciliation loop, then settles orders itself: the loop (LEDGER, then
//! ORDERS) runs beside `settle` (ORDERS, then LEDGER), so the opposite orders can deadlock even
//! though both are started from `main`. Were the loop awaited after the settling, they could not.
use once_cell::sync::Lazy;
use sqlx::PgPool;

static ORDERS: Lazy<PgPool> = Lazy::new(|| PgPool::connect_lazy("postgres://orders").expect("orders url"));
static LEDGER: Lazy<PgPool> = Lazy::new(|| PgPool::connect_lazy("postgres://ledger").expect("ledger url"));

async fn post_entry(order_id: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO entries (order_id) VALUES ($1)").bind(order_id).execute(&*LEDGER).await?;
    Ok(())
}

async fn mark_settled(order_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE orders SET settled = true WHERE id = $1").bind(order_id).execute(&*ORDERS).await?;
    Ok(())
}

async fn settle(order_id: i64) -> sqlx::Result<()> {
    let tx = ORDERS.begin().await?;
    post_entry(order_id).await?; //~ checkout_order_inversion
    tx.commit().await
}

async fn reconcile_loop() -> sqlx::Result<()> {
    loop {
        let mut tx = LEDGER.begin().await?;
        let pending: Vec<i64> = sqlx::query_scalar("SELECT order_id FROM entries WHERE checked = false")
            .fetch_all(&mut *tx)
            .await?;
        for order_id in pending {
            mark_settled(order_id).await?;
        }
        tx.commit().await?;
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}

#[tokio::main]
async fn main() -> sqlx::Result<()> {
    tokio::spawn(reconcile_loop());
    let due: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders WHERE due").fetch_all(&*ORDERS).await?;
    for order_id in due {
        settle(order_id).await?;
    }
    Ok(())
}
