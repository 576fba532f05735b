use sqlx::PgPool;

pub struct AccountService {
    pool: PgPool,
}

impl AccountService {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub async fn close_account(&self, account_id: i64, actor: &str) -> anyhow::Result<()> {
        let mut conn = self.pool().acquire().await?;
        sqlx::query("UPDATE accounts SET closed_at = now() WHERE id = $1")
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM api_tokens WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        self.write_audit(account_id, actor, "account.closed").await?; //~ nested_checkout
        Ok(())
    }

    async fn write_audit(&self, account_id: i64, actor: &str, action: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO audit_log (account_id, actor, action) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(actor)
            .bind(action)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
