use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

pub struct SubscriptionService {
    pool: PgPool,
    http: reqwest::Client,
    analytics_url: String,
}

impl SubscriptionService {
    pub async fn cancel(&self, subscription_id: Uuid, reason: Option<String>) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;

        let customer_id: Uuid = sqlx::query_scalar(
            "UPDATE subscriptions SET status = 'cancelled', cancelled_at = now() \
             WHERE id = $1 AND status = 'active' RETURNING customer_id",
        )
        .bind(subscription_id)
        .fetch_one(&mut *tx)
        .await?;

        let http = self.http.clone();
        let analytics_url = self.analytics_url.clone();
        let event_reason = reason.clone();
        tokio::spawn(async move {
            for attempt in 0..3u32 {
                let sent = http
                    .post(&analytics_url)
                    .json(&serde_json::json!({
                        "event": "subscription_cancelled",
                        "customer_id": customer_id,
                        "reason": event_reason,
                    }))
                    .send()
                    .await;
                if sent.is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
            }
        });

        sqlx::query("INSERT INTO cancellation_feedback (subscription_id, reason) VALUES ($1, $2)")
            .bind(subscription_id)
            .bind(reason)
            .execute(&mut *tx)
            .await?;

        tx.commit().await?;
        tracing::info!(%subscription_id, "subscription cancelled");
        Ok(())
    }
}
