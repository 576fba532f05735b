use std::collections::HashMap;

use async_trait::async_trait;
use tracing::info;

use crate::error::JobError;
use crate::queue::Job;

#[async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, job: &Job) -> Result<(), JobError>;
}

#[derive(Default)]
pub struct HandlerRegistry {
    handlers: HashMap<String, Box<dyn JobHandler>>,
}

impl HandlerRegistry {
    pub fn with_defaults() -> Self {
        Self::default().register("email", SendEmail)
    }

    pub fn register(mut self, kind: &str, handler: impl JobHandler + 'static) -> Self { self.handlers.insert(kind.to_owned(), Box::new(handler)); self }

    pub fn handler(&self, kind: &str) -> Option<&dyn JobHandler> {
        self.handlers.get(kind).map(|h| h.as_ref())
    }

    pub async fn dispatch(&self, job: &Job) -> Result<(), JobError> {
        let Some(handler) = self.handler(&job.kind) else {
            return Err(JobError::Failed(format!("no handler for {}", job.kind)));
        };
        handler.run(job).await
    }
}

fn field<'a>(job: &'a Job, name: &str) -> Result<&'a str, JobError> {
    job.payload.get(name).and_then(|v| v.as_str()).ok_or_else(|| JobError::Failed(format!("payload has no {name}")))
}

struct SendEmail;

#[async_trait]
impl JobHandler for SendEmail {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        info!(to = field(job, "to")?, template = field(job, "template")?, "email sent");
        Ok(())
    }
}
