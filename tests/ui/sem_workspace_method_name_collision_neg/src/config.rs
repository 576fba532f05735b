use std::sync::Arc;

use arc_swap::ArcSwap;

#[derive(Debug, Clone)]
pub struct IngestConfig {
    pub max_batch: usize,
    pub reject_unknown_sources: bool,
}

/// Hot-reloadable configuration.
#[derive(Clone)]
pub struct ConfigHandle(Arc<ArcSwap<IngestConfig>>);

impl ConfigHandle {
    pub fn new(cfg: IngestConfig) -> Self {
        Self(Arc::new(ArcSwap::from_pointee(cfg)))
    }

    pub fn get(&self) -> Arc<IngestConfig> {
        self.0.load_full()
    }

    pub fn replace(&self, cfg: IngestConfig) {
        self.0.store(Arc::new(cfg));
    }
}
