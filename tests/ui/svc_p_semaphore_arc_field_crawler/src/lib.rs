use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{RwLock, Semaphore};
use url::Url;

/// A polite crawler: a global cap on requests in flight, robots.txt honoured per host.
pub struct Crawler {
    http: reqwest::Client,
    in_flight: Arc<Semaphore>,
    robots: RwLock<HashMap<String, String>>,
}

fn disallowed(robots: &str, path: &str) -> bool {
    robots
        .lines()
        .filter_map(|l| l.strip_prefix("Disallow:"))
        .map(str::trim)
        .any(|prefix| !prefix.is_empty() && path.starts_with(prefix))
}

impl Crawler {
    pub fn new(max_in_flight: usize) -> Self {
        Self {
            http: reqwest::Client::builder()
                .user_agent("acme-crawler/1.4")
                .build()
                .expect("http client"),
            in_flight: Arc::new(Semaphore::new(max_in_flight)),
            robots: RwLock::new(HashMap::new()),
        }
    }

    async fn robots_txt(&self, host: &str) -> anyhow::Result<String> {
        if let Some(cached) = self.robots.read().await.get(host) {
            return Ok(cached.clone());
        }
        let _permit = self.in_flight.acquire().await?;
        let body = self
            .http
            .get(format!("https://{host}/robots.txt"))
            .send()
            .await?
            .text()
            .await
            .unwrap_or_default();
        self.robots.write().await.insert(host.to_owned(), body.clone());
        Ok(body)
    }

    pub async fn fetch(&self, url: Url) -> anyhow::Result<Option<String>> {
        let permit = self.in_flight.clone().acquire_owned().await?;
        let host = url.host_str().unwrap_or_default().to_owned();

        let robots = self.robots_txt(&host).await?; //~ nested_checkout
        if disallowed(&robots, url.path()) {
            drop(permit);
            return Ok(None);
        }

        let resp = self.http.get(url.clone()).send().await?;
        let body = resp.error_for_status()?.text().await?;
        drop(permit);
        Ok(Some(body))
    }
}
