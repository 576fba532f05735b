//! Polite crawler: at most `max_in_flight` requests to the origin at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use url::Url;

pub struct Page {
    pub url: Url,
    pub body: String,
    pub sitemap: Option<String>,
}

pub struct Fetcher {
    http: reqwest::Client,
    in_flight: Arc<Semaphore>,
}

impl Fetcher {
    pub fn new(max_in_flight: usize) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .user_agent("site-crawler/0.1")
            .build()?;
        Ok(Self {
            http,
            in_flight: Arc::new(Semaphore::new(max_in_flight)),
        })
    }

    pub async fn fetch_page(&self, url: &Url) -> anyhow::Result<Page> {
        let _slot = self.in_flight.acquire().await?;
        let body = self
            .http
            .get(url.clone())
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;

        let sitemap = if url.path() == "/" {
            self.fetch_sitemap(url).await? //~ nested_checkout
        } else {
            None
        };

        Ok(Page {
            url: url.clone(),
            body,
            sitemap,
        })
    }

    async fn fetch_sitemap(&self, root: &Url) -> anyhow::Result<Option<String>> {
        let _slot = self.in_flight.acquire().await?;
        let resp = self.http.get(root.join("/sitemap.xml")?).send().await?;
        if resp.status().is_success() {
            Ok(Some(resp.text().await?))
        } else {
            Ok(None)
        }
    }
}
