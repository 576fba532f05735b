use std::sync::Arc;

use uuid::Uuid;

use crate::audit::{AuditEvent, AuditSink};
use crate::db::DB;

pub struct AccountService {
    audit: Arc<dyn AuditSink>,
}

impl AccountService {
    pub fn new(audit: Arc<dyn AuditSink>) -> Self {
        Self { audit }
    }

    pub async fn close_account(&self, account_id: Uuid, actor: Uuid) -> anyhow::Result<()> {
        let mut tx = DB.begin().await?;

        let open_balance: i64 = sqlx::query_scalar("SELECT balance_cents FROM accounts WHERE id = $1 FOR UPDATE")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
        anyhow::ensure!(open_balance == 0, "account {account_id} still holds {open_balance} cents");

        sqlx::query("UPDATE accounts SET closed_at = now() WHERE id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;

        let event = AuditEvent { actor, subject: account_id, action: "account.close" };
        self.audit.record(&event).await?; //~ nested_checkout

        tx.commit().await?;
        Ok(())
    }
}
