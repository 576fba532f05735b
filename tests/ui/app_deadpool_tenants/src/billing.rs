use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tracing::{info, instrument};
use uuid::Uuid;

use crate::error::AppError;
use crate::tenants::{TenantId, TenantPools};

#[derive(Debug, Serialize)]
pub struct InvoiceLine {
    pub meter: String,
    pub quantity: i64,
    pub unit_cents: i64,
    pub amount_cents: i64,
}

#[derive(Debug, Serialize)]
pub struct Invoice {
    pub id: Uuid,
    pub account_id: Uuid,
    pub currency: String,
    pub total_cents: i64,
    pub lines: Vec<InvoiceLine>,
}

pub struct BillingService {
    pools: Arc<TenantPools>,
    currency: String,
}

impl BillingService {
    pub fn new(pools: Arc<TenantPools>, currency: String) -> Self {
        Self { pools, currency }
    }

    /// Bills all unbilled usage of one account up to `until`.
    #[instrument(skip(self), fields(tenant = %tenant))]
    pub async fn generate_invoice(&self, tenant: &TenantId, account_id: Uuid, until: DateTime<Utc>) -> Result<Invoice, AppError> {
        let mut client = self.pools.client(tenant).await?;
        // `transaction()` on a pooled client runs on that client's connection.
        let tx = client.transaction().await?;
        let usage = tx
            .query(
                "SELECT id, meter, quantity FROM usage \
                 WHERE account_id = $1 AND billed_at IS NULL AND recorded_at < $2 FOR UPDATE",
                &[&account_id, &until],
            )
            .await?;
        if usage.is_empty() {
            return Err(AppError::NothingToBill(account_id));
        }
        let rates = self.current_rates(tenant).await?; //~ nested_checkout

        let mut per_meter: HashMap<String, i64> = HashMap::new();
        for row in &usage {
            *per_meter.entry(row.get("meter")).or_default() += row.get::<_, i64>("quantity");
        }
        let lines: Vec<InvoiceLine> = per_meter
            .into_iter()
            .filter_map(|(meter, quantity)| {
                let unit_cents = *rates.get(&meter)?;
                Some(InvoiceLine { amount_cents: quantity * unit_cents, meter, quantity, unit_cents })
            })
            .collect();
        let total_cents: i64 = lines.iter().map(|l| l.amount_cents).sum();

        let id = Uuid::new_v4();
        tx.execute(
            "INSERT INTO invoices (id, account_id, currency, total_cents) VALUES ($1, $2, $3, $4)",
            &[&id, &account_id, &self.currency, &total_cents],
        )
        .await?;
        let ids: Vec<i64> = usage.iter().map(|r| r.get("id")).collect();
        tx.execute("UPDATE usage SET billed_at = now(), invoice_id = $2 WHERE id = ANY($1)", &[&ids, &id]).await?;
        tx.commit().await?;

        // The control plane is another database with its own pool.
        self.record_run(tenant, id, total_cents).await?;
        info!(invoice = %id, total_cents, "invoice generated");
        Ok(Invoice { id, account_id, currency: self.currency.clone(), total_cents, lines })
    }

    async fn current_rates(&self, tenant: &TenantId) -> Result<HashMap<String, i64>, AppError> {
        let client = self.pools.client(tenant).await?;
        let rows = client.query("SELECT meter, unit_cents FROM rates WHERE valid_to IS NULL", &[]).await?;
        Ok(rows.iter().map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1))).collect())
    }

    async fn record_run(&self, tenant: &TenantId, invoice_id: Uuid, total_cents: i64) -> Result<(), AppError> {
        let control = self.pools.control().await?;
        control
            .execute(
                "INSERT INTO billing_runs (tenant, invoice_id, total_cents) VALUES ($1, $2, $3)",
                &[&tenant.0, &invoice_id, &total_cents],
            )
            .await?;
        Ok(())
    }

    async fn sum_by_status(&self, tenant: &TenantId, status: &str) -> Result<i64, AppError> {
        let client = self.pools.client(tenant).await?;
        let row = client
            .query_one("SELECT coalesce(sum(total_cents), 0)::bigint FROM invoices WHERE status = $1", &[&status])
            .await?;
        Ok(row.get(0))
    }

    /// Open and paid totals, fetched side by side.
    pub async fn dashboard(&self, tenant: &TenantId) -> Result<serde_json::Value, AppError> {
        let (open, paid) = tokio::join!(self.sum_by_status(tenant, "open"), self.sum_by_status(tenant, "paid"));
        Ok(serde_json::json!({ "tenant": tenant, "open_cents": open?, "paid_cents": paid?, "currency": self.currency }))
    }
}
