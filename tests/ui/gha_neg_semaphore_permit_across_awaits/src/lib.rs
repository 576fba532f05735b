use std::{sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::Semaphore;
use tracing::debug;

#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("crawler is shutting down")]
    Closed(#[from] tokio::sync::AcquireError),
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub struct SitemapCrawler {
    pool: PgPool,
    http: reqwest::Client,
    per_host_limit: Arc<Semaphore>,
    politeness_delay: Duration,
}

impl SitemapCrawler {
    pub async fn fetch_page(&self, url: &url::Url) -> Result<usize, CrawlError> {
        let _permit = self.per_host_limit.acquire().await?;

        let response = self.http.get(url.as_str()).send().await?;
        let status = response.status().as_u16() as i32;
        let body = response.text().await?;

        sqlx::query(
            "INSERT INTO crawled_pages (url, status, body, fetched_at) VALUES ($1, $2, $3, now()) \
             ON CONFLICT (url) DO UPDATE SET status = EXCLUDED.status, body = EXCLUDED.body, fetched_at = now()",
        )
        .bind(url.as_str())
        .bind(status)
        .bind(&body)
        .execute(&self.pool)
        .await?;

        tokio::time::sleep(self.politeness_delay).await;
        debug!(%url, status, bytes = body.len(), "page crawled");
        Ok(body.len())
    }
}
