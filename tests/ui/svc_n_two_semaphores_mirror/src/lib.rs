//! Mirrors release artifacts from upstream into our object store.
//! Downloads and uploads are limited separately: upstream allows few parallel
//! downloads, our store accepts many parallel uploads.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::Semaphore;

pub struct Mirror {
    http: reqwest::Client,
    store_base: String,
    downloads: Arc<Semaphore>,
    uploads: Arc<Semaphore>,
}

impl Mirror {
    pub fn new(store_base: String, max_downloads: usize, max_uploads: usize) -> Self {
        Self {
            http: reqwest::Client::new(),
            store_base,
            downloads: Arc::new(Semaphore::new(max_downloads)),
            uploads: Arc::new(Semaphore::new(max_uploads)),
        }
    }

    async fn upload(&self, key: &str, body: Bytes) -> anyhow::Result<()> {
        let _permit = self.uploads.acquire().await?;
        self.http
            .put(format!("{}/{key}", self.store_base))
            .body(body)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    pub async fn mirror(&self, source_url: &str, key: &str) -> anyhow::Result<usize> {
        let permit = self.downloads.clone().acquire_owned().await?;
        let body = self
            .http
            .get(source_url)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        tracing::debug!(
            key,
            size = body.len(),
            downloads_free = self.downloads.available_permits(),
            "downloaded"
        );

        let size = body.len();
        self.upload(key, body).await?;
        drop(permit);
        Ok(size)
    }
}
