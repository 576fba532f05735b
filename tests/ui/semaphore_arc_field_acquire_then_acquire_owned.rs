// tokio `Semaphore` in an `Arc<Semaphore>` field: `crawl_site` holds a permit from `self.permits`
// and awaits `self.fetch_page(..)`, whose `acquire_owned()` takes another permit from the same
// semaphore. With every permit held by a `crawl_site`, all of them wait forever.
use std::sync::Arc;

use tokio::sync::Semaphore;

pub struct Crawler {
    http: reqwest::Client,
    permits: Arc<Semaphore>,
}

impl Crawler {
    pub fn new(http: reqwest::Client, permits: Arc<Semaphore>) -> Self {
        Self { http, permits }
    }

    async fn fetch_page(&self, url: &str) -> anyhow::Result<String> {
        let _permit = self.permits.clone().acquire_owned().await?;
        let body = self.http.get(url).send().await?.error_for_status()?.text().await?;
        Ok(body)
    }

    /// Fetches a site's index page; one permit per site being crawled.
    pub async fn crawl_site(&self, root: &str) -> anyhow::Result<Vec<String>> {
        let _site_permit = self.permits.acquire().await?;
        let index = self.fetch_page(root).await?; //~ nested_checkout
        let links = index
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|link| link.starts_with(root))
            .map(str::to_owned)
            .collect();
        Ok(links)
    }
}
