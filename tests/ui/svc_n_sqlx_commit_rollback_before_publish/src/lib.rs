use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("subscription {0} not found")]
    NotFound(Uuid),
}

#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum DomainEvent {
    SubscriptionCanceled { sub_id: Uuid, reason: String },
    SubscriptionPaused { sub_id: Uuid },
}

pub struct SubscriptionService {
    pool: PgPool,
}

impl SubscriptionService {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    async fn publish(&self, event: &DomainEvent) -> sqlx::Result<()> {
        let body = serde_json::to_string(event).expect("events serialize");
        sqlx::query("SELECT pg_notify('billing_events', $1)")
            .bind(body)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn cancel(&self, sub_id: Uuid, reason: &str) -> Result<(), BillingError> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE subscriptions SET canceled_at = now(), cancel_reason = $2 WHERE id = $1")
            .bind(sub_id)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(BillingError::NotFound(sub_id));
        }
        sqlx::query("UPDATE invoices SET voided = true WHERE subscription_id = $1 AND status = 'draft'")
            .bind(sub_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        self.publish(&DomainEvent::SubscriptionCanceled { sub_id, reason: reason.to_owned() }).await?;
        Ok(())
    }

    pub async fn pause(&self, sub_id: Uuid) -> Result<(), BillingError> {
        let mut tx = self.pool.begin().await?;
        let paused: Option<bool> = sqlx::query_scalar("SELECT paused FROM subscriptions WHERE id = $1 FOR UPDATE")
            .bind(sub_id)
            .fetch_optional(&mut *tx)
            .await?;
        match paused {
            None => return Err(BillingError::NotFound(sub_id)),
            Some(true) => {
                // Already paused: nothing to write, but downstream consumers may have missed the event.
                tx.rollback().await?;
                self.publish(&DomainEvent::SubscriptionPaused { sub_id }).await?;
                return Ok(());
            }
            Some(false) => {}
        }
        sqlx::query("UPDATE subscriptions SET paused = true, paused_at = now() WHERE id = $1")
            .bind(sub_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.publish(&DomainEvent::SubscriptionPaused { sub_id }).await?;
        Ok(())
    }
}
