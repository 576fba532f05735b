// `refund` commits its payments transaction before it touches the ledger, so it never holds
// PAYMENTS while waiting for LEDGER; `settle` holds LEDGER and then PAYMENTS. Only one order
// is ever held: no inversion.
use once_cell::sync::Lazy;
use sqlx::PgPool;

static PAYMENTS: Lazy<PgPool> = Lazy::new(|| PgPool::connect_lazy("postgres://payments").expect("url"));
static LEDGER: Lazy<PgPool> = Lazy::new(|| PgPool::connect_lazy("postgres://ledger").expect("url"));

async fn ledger_credit(account: i64, cents: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO credits (account, cents) VALUES ($1, $2)").bind(account).bind(cents).execute(&*LEDGER).await?;
    Ok(())
}

async fn payment_state(id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT state FROM payments WHERE id = $1").bind(id).fetch_one(&*PAYMENTS).await
}

pub async fn refund(id: i64, account: i64, cents: i64) -> sqlx::Result<()> {
    let mut tx = PAYMENTS.begin().await?;
    sqlx::query("UPDATE payments SET state = 'refunded' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    ledger_credit(account, cents).await
}

pub async fn settle(id: i64) -> sqlx::Result<()> {
    let mut tx = LEDGER.begin().await?;
    let state = payment_state(id).await?; //~ guard_held_across_await
    sqlx::query("UPDATE settlements SET state = $1 WHERE payment_id = $2").bind(state).bind(id).execute(&mut *tx).await?;
    tx.commit().await
}
