//! Gateway in front of the GPU inference server: caps in-flight GPU work per process.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

static GPU_SLOTS: OnceLock<Arc<Semaphore>> = OnceLock::new();

fn gpu_slots() -> &'static Arc<Semaphore> {
    GPU_SLOTS.get_or_init(|| {
        let n = std::env::var("GPU_CONCURRENCY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2);
        Arc::new(Semaphore::new(n))
    })
}

#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
    #[error("gateway is shutting down")]
    ShuttingDown,
    #[error("inference server: {0}")]
    Upstream(#[from] reqwest::Error),
}

pub struct Model {
    pub http: reqwest::Client,
    pub endpoint: String,
}

#[derive(Serialize)]
struct EmbedRequest<'a> {
    inputs: &'a [String],
}

#[derive(Deserialize)]
struct EmbedResponse {
    embeddings: Vec<Vec<f32>>,
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

pub async fn embed(model: &Model, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
    let _permit = gpu_slots()
        .acquire()
        .await
        .map_err(|_| InferenceError::ShuttingDown)?;
    let resp: EmbedResponse = model
        .http
        .post(format!("{}/embed", model.endpoint))
        .json(&EmbedRequest { inputs: texts })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(resp.embeddings)
}

pub async fn rerank(
    model: &Model,
    query: &str,
    candidates: Vec<String>,
) -> Result<Vec<(String, f32)>, InferenceError> {
    let permit = gpu_slots()
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| InferenceError::ShuttingDown)?;

    let mut inputs = candidates.clone();
    inputs.push(query.to_owned());
    let vectors = embed(model, &inputs).await?; //~ nested_checkout

    let (query_vec, doc_vecs) = vectors.split_last().expect("one vector per input");
    let mut scored: Vec<(String, f32)> = candidates
        .into_iter()
        .zip(doc_vecs)
        .map(|(text, v)| (text, cosine(query_vec, v)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    drop(permit);
    Ok(scored)
}
