// Positive: lazy_static r2d2 pools BILLING and LEDGER (sync postgres) are taken in opposite orders by worker
// threads: `close_invoice` holds a BILLING connection and calls post_ledger_entry (LEDGER.get());
// `reconcile_shard` holds a LEDGER connection and calls invoice_total (BILLING.get()). All threads run at once.
use std::{thread, time::Duration};

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use crossbeam_channel::{bounded, Receiver};
use lazy_static::lazy_static;
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;

type PgPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

const CLOSER_THREADS: usize = 12;
const RECONCILE_SHARDS: i64 = 8;

fn build_pool(var: &str, size: u32) -> PgPool {
    let url = std::env::var(var).unwrap_or_else(|_| panic!("{var} must be set"));
    let manager = PostgresConnectionManager::new(url.parse().expect("invalid postgres url"), NoTls);
    r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(60))
        .build(manager)
        .expect("failed to build connection pool")
}

lazy_static! {
    static ref BILLING: PgPool = build_pool("BILLING_DATABASE_URL", 8);
    static ref LEDGER: PgPool = build_pool("LEDGER_DATABASE_URL", 8);
}

fn due_invoices() -> anyhow::Result<Vec<i64>> {
    let mut billing = BILLING.get().context("billing pool")?;
    let rows = billing.query(
        "SELECT id FROM invoices WHERE status = 'open' AND due_at <= now() ORDER BY due_at LIMIT 1000",
        &[],
    )?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

fn close_invoice(invoice_id: i64) -> anyhow::Result<()> {
    let mut billing = BILLING.get().context("billing pool")?;
    let mut tx = billing.transaction()?;
    let row = tx.query_one(
        "SELECT customer_id, total_cents FROM invoices WHERE id = $1 AND status = 'open' FOR UPDATE",
        &[&invoice_id],
    )?;
    let customer_id: i64 = row.get(0);
    let total_cents: i64 = row.get(1);

    post_ledger_entry(customer_id, total_cents, &format!("invoice:{invoice_id}"))?; //~ checkout_order_inversion

    tx.execute(
        "UPDATE invoices SET status = 'closed', closed_at = now() WHERE id = $1",
        &[&invoice_id],
    )?;
    tx.commit()?;
    Ok(())
}

fn post_ledger_entry(customer_id: i64, amount_cents: i64, reference: &str) -> anyhow::Result<()> {
    let mut ledger = LEDGER.get().context("ledger pool")?;
    ledger.execute(
        "INSERT INTO entries (account, amount_cents, reference, posted_at) VALUES ($1, $2, $3, now())",
        &[&format!("ar:{customer_id}"), &amount_cents, &reference],
    )?;
    Ok(())
}

fn invoice_total(customer_id: i64, day: NaiveDate) -> anyhow::Result<i64> {
    let mut billing = BILLING.get().context("billing pool")?;
    let row = billing.query_one(
        "SELECT COALESCE(SUM(total_cents), 0)::BIGINT FROM invoices \
         WHERE customer_id = $1 AND closed_at::date = $2",
        &[&customer_id, &day],
    )?;
    Ok(row.get(0))
}

fn reconcile_shard(day: NaiveDate, shard: i64) -> anyhow::Result<Vec<i64>> {
    let mut ledger = LEDGER.get().context("ledger pool")?;
    let rows = ledger.query(
        "SELECT substring(account FROM 4)::BIGINT AS customer_id, SUM(amount_cents)::BIGINT \
         FROM entries \
         WHERE account LIKE 'ar:%' AND posted_at::date = $1 \
           AND substring(account FROM 4)::BIGINT % $2 = $3 \
         GROUP BY account",
        &[&day, &RECONCILE_SHARDS, &shard],
    )?;

    let mut mismatched = Vec::new();
    for row in rows {
        let customer_id: i64 = row.get(0);
        let posted: i64 = row.get(1);
        if invoice_total(customer_id, day)? != posted {
            mismatched.push(customer_id);
        }
    }
    Ok(mismatched)
}

fn closer_loop(jobs: Receiver<i64>) {
    for invoice_id in jobs {
        if let Err(err) = close_invoice(invoice_id) {
            eprintln!("closing invoice {invoice_id} failed: {err:#}");
        }
    }
}

fn main() -> anyhow::Result<()> {
    let (sender, receiver) = bounded::<i64>(256);

    for _ in 0..CLOSER_THREADS {
        let jobs = receiver.clone();
        thread::spawn(move || closer_loop(jobs));
    }

    for shard in 0..RECONCILE_SHARDS {
        thread::spawn(move || loop {
            let yesterday = Utc::now().date_naive().pred_opt().expect("date out of range");
            match reconcile_shard(yesterday, shard) {
                Ok(bad) if !bad.is_empty() => {
                    eprintln!("shard {shard}: {} customers out of balance on {yesterday}", bad.len())
                }
                Ok(_) => {}
                Err(err) => eprintln!("reconciling shard {shard} failed: {err:#}"),
            }
            thread::sleep(Duration::from_secs(300));
        });
    }

    loop {
        for invoice_id in due_invoices()? {
            sender.send(invoice_id)?;
        }
        thread::sleep(Duration::from_secs(30));
    }
}
