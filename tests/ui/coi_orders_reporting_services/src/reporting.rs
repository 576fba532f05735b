// ReportingService is a different type with its own warehouse pool and its own reporting redis pool; cache, then db.
use chrono::NaiveDate;
use deadpool_redis::redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Debug, Serialize, Deserialize, sqlx::FromRow)]
pub struct DailyRevenue {
    pub day: NaiveDate,
    pub revenue_cents: i64,
}

pub struct ReportingService {
    pub db: PgPool,
    pub cache: deadpool_redis::Pool,
}

impl ReportingService {
    pub async fn revenue_by_day(&self, days: i32) -> anyhow::Result<Vec<DailyRevenue>> {
        let mut cache = self.cache.get().await?;
        let key = format!("revenue_by_day:{days}");
        if let Some(raw) = cache.get::<_, Option<String>>(&key).await? {
            return Ok(serde_json::from_str(&raw)?);
        }

        let rows = sqlx::query_as::<_, DailyRevenue>( //~ guard_held_across_await
            "SELECT day, revenue_cents FROM daily_revenue WHERE day > current_date - $1 ORDER BY day",
        )
        .bind(days)
        .fetch_all(&self.db)
        .await?;

        let _: () = cache.set_ex(&key, serde_json::to_string(&rows)?, 300).await?;
        Ok(rows)
    }
}
