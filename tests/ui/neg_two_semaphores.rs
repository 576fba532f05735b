// Negative: two different semaphores. `mirror` holds a permit of `per_host` and awaits
// `self.write_blob(..)`, which acquires from `disk_writes`: different resources, no nesting.
use std::{path::PathBuf, sync::Arc};

use tokio::sync::Semaphore;

pub struct Mirror {
    http: reqwest::Client,
    per_host: Arc<Semaphore>,
    disk_writes: Arc<Semaphore>,
    root: PathBuf,
}

impl Mirror {
    pub fn new(http: reqwest::Client, per_host: Arc<Semaphore>, disk_writes: Arc<Semaphore>, root: PathBuf) -> Self {
        Self { http, per_host, disk_writes, root }
    }

    async fn write_blob(&self, name: &str, body: bytes::Bytes) -> std::io::Result<()> {
        let _permit = self.disk_writes.acquire().await.expect("semaphore closed");
        tokio::fs::write(self.root.join(name), &body).await
    }

    pub async fn mirror(&self, url: &str, name: &str) -> anyhow::Result<usize> {
        let _host_permit = self.per_host.acquire().await?;
        let body = self.http.get(url).send().await?.error_for_status()?.bytes().await?;
        let len = body.len();
        self.write_blob(name, body).await?;
        Ok(len)
    }
}
