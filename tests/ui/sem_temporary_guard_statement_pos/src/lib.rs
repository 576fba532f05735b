use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::{postgres, PostgresConnectionManager};

pub type PgPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("postgres: {0}")]
    Postgres(#[from] postgres::Error),
}

pub fn issue_invoice(pool: &PgPool, customer_id: i64, amount_cents: i64) -> Result<(), BillingError> {
    pool.get()?.execute(
        "INSERT INTO invoices (number, customer_id, amount_cents) VALUES ($1, $2, $3)",
        &[&next_document_number(pool, "INV")?, &customer_id, &amount_cents], //~ nested_checkout
    )?;
    Ok(())
}

pub fn issue_credit_note(pool: &PgPool, customer_id: i64, amount_cents: i64) -> Result<String, BillingError> {
    let number = next_document_number(pool, "CRN")?;
    pool.get()?.execute(
        "INSERT INTO credit_notes (number, customer_id, amount_cents) VALUES ($1, $2, $3)",
        &[&number, &customer_id, &amount_cents],
    )?;
    notify_accounting(pool, &number)?;
    Ok(number)
}

fn next_document_number(pool: &PgPool, prefix: &str) -> Result<String, BillingError> {
    let row = pool.get()?.query_one("SELECT nextval('document_number_seq')", &[])?;
    Ok(format!("{}-{:08}", prefix, row.get::<_, i64>(0)))
}

fn notify_accounting(pool: &PgPool, number: &str) -> Result<(), BillingError> {
    pool.get()?.execute("SELECT pg_notify('accounting', $1)", &[&number])?;
    Ok(())
}
