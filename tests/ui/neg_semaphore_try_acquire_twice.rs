// `try_acquire` never waits: it fails at once when no permit is left, so taking a second
// permit with it while holding one cannot deadlock (the second call just returns an error).
use std::sync::Arc;
use tokio::sync::{Semaphore, TryAcquireError};

pub struct UploadSlots {
    slots: Arc<Semaphore>,
}

impl UploadSlots {
    fn reserve_thumbnail_slot(&self) -> bool {
        match self.slots.try_acquire() {
            Ok(permit) => {
                permit.forget();
                true
            }
            Err(TryAcquireError::NoPermits) | Err(TryAcquireError::Closed) => false,
        }
    }

    pub async fn start_upload(&self, with_thumbnail: bool) -> anyhow::Result<bool> {
        let _upload = self.slots.acquire().await?;
        if with_thumbnail && !self.reserve_thumbnail_slot() {
            return Ok(false);
        }
        let _extra = self.slots.try_acquire_many(2);
        Ok(true)
    }
}
