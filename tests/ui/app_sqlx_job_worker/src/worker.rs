use std::sync::Arc;

use futures::future::join_all;
use tokio::sync::{watch, Semaphore};
use tracing::{error, info, info_span, warn, Instrument};

use crate::config::WorkerConfig;
use crate::error::WorkerError;
use crate::handlers::HandlerRegistry;
use crate::queue::{Job, JobQueue};

pub struct Worker {
    cfg: WorkerConfig,
    queue: Arc<JobQueue>,
    registry: Arc<HandlerRegistry>,
    /// One permit per job running in this process.
    limiter: Arc<Semaphore>,
}

impl Worker {
    pub fn new(cfg: WorkerConfig, queue: Arc<JobQueue>, registry: Arc<HandlerRegistry>) -> Self {
        let limiter = Arc::new(Semaphore::new(cfg.concurrency));
        Self { cfg, queue, registry, limiter }
    }

    /// The polling loop: claims as many jobs as there are free permits and runs each on its own task.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) -> Result<(), WorkerError> {
        let mut tick = tokio::time::interval(self.cfg.poll_interval);
        info!(worker = %self.cfg.worker_id, concurrency = self.cfg.concurrency, "worker started");
        loop {
            tokio::select! { _ = tick.tick() => {}, _ = stop.changed() => break }
            let free = self.limiter.available_permits();
            if free == 0 { continue; }
            let jobs = match self.queue.claim(&self.cfg.worker_id, free as i64).await {
                Ok(jobs) => jobs,
                Err(e) => { error!(error = %e, "claim failed; backing off"); continue; }
            };
            for job in jobs {
                let permit = match Arc::clone(&self.limiter).try_acquire_owned() {
                    Ok(p) => p,
                    // Lost the race for a permit: the lease expires and the reaper requeues the job.
                    Err(_) => { warn!(job = %job.id, "no free permit for a claimed job"); continue; }
                };
                let this = Arc::clone(&self);
                let span = info_span!("job", id = %job.id, kind = %job.kind);
                tokio::spawn(async move { let _permit = permit; this.execute(job).await }.instrument(span));
            }
        }
        // Wait for the jobs in flight: every permit back means every job done.
        let _all = self.limiter.acquire_many(self.cfg.concurrency as u32).await?;
        info!("worker stopped");
        Ok(())
    }

    /// Runs one job to completion and records the outcome. Never fails: errors are recorded.
    async fn execute(&self, job: Job) {
        let queue = Arc::clone(&self.queue);
        let id = job.id;
        let every = self.cfg.lease / 3;
        let heartbeat = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = queue.extend_lease(id).await { warn!(error = %e, job = %id, "lease not extended"); }
            }
        });
        let outcome = self.registry.dispatch(&job).await;
        heartbeat.abort();

        let recorded = match outcome {
            Ok(()) => self.queue.complete(job.id).await,
            Err(e) => {
                warn!(job = %job.id, error = %e, "job failed");
                self.queue.fail(&job, &e.to_string()).await
            }
        };
        if let Err(e) = recorded { error!(job = %job.id, error = %e, "job outcome not recorded"); }
    }

    async fn run_limited(&self, job: Job) -> Result<(), WorkerError> {
        let _permit = self.limiter.acquire().await?;
        self.execute(job).await;
        Ok(())
    }

    /// Runs the backlog of one kind in this task. Takes a permit itself so a drain counts
    /// against the worker's concurrency like any job.
    pub async fn drain(&self, kind: &str, max: i64) -> Result<usize, WorkerError> {
        if self.registry.handler(kind).is_none() {
            return Err(WorkerError::UnknownKind(kind.to_owned()));
        }
        let _slot = self.limiter.acquire().await?;
        let jobs = self.queue.claim_kind(&self.cfg.worker_id, kind, max).await?;
        let n = jobs.len();
        info!(kind, n, "draining");
        let results = join_all(jobs.into_iter().map(|job| self.run_limited(job))).await; //~ nested_checkout
        let failed = results.iter().filter(|r| r.is_err()).count();
        if failed > 0 { warn!(kind, failed, "some drained jobs could not start"); }
        Ok(n - failed)
    }
}
