// Positive: two program-wide tokio semaphores, UPLOAD_SLOTS (static) and TRANSCODE_SLOTS (Lazy<Arc<Semaphore>>),
// are acquired in opposite orders: `ingest_upload` holds an upload permit and waits for a transcode permit;
// `transcode` holds an owned transcode permit and calls push_to_origin, which waits for an upload permit.
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::{bail, Context};
use axum::{
    body::Body,
    extract::{Path as UrlPath, State},
    http::StatusCode,
    routing::put,
    Router,
};
use futures::TryStreamExt;
use once_cell::sync::Lazy;
use tokio::{
    io::AsyncWriteExt,
    process::Command,
    sync::{mpsc, Semaphore},
};

/// Network-heavy transfers (client uploads and pushes to the CDN origin) share one bandwidth budget.
static UPLOAD_SLOTS: Semaphore = Semaphore::const_new(16);

/// ffprobe/ffmpeg processes are CPU-bound: one per core.
static TRANSCODE_SLOTS: Lazy<Arc<Semaphore>> = Lazy::new(|| Arc::new(Semaphore::new(num_cpus::get())));

const RENDITIONS: [(&str, u32); 3] = [("1080p", 1080), ("720p", 720), ("480p", 480)];

async fn ingest_upload(video_id: &str, body: Body, jobs: &mpsc::Sender<PathBuf>) -> anyhow::Result<()> {
    let _upload = UPLOAD_SLOTS.acquire().await.context("upload slots closed")?;

    let source = PathBuf::from(format!("/srv/media/incoming/{video_id}.mp4"));
    let mut file = tokio::fs::File::create(&source).await?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.try_next().await? {
        file.write_all(&chunk).await?;
    }
    file.flush().await?;

    // Probe while the client is still connected so garbage is rejected with a 422 right away.
    let _probe = Arc::clone(&TRANSCODE_SLOTS).acquire_owned().await?; //~ checkout_order_inversion
    let status = Command::new("ffprobe")
        .args(["-v", "error", "-show_format", "-show_streams"])
        .arg(&source)
        .status()
        .await?;
    if !status.success() {
        tokio::fs::remove_file(&source).await.ok();
        bail!("{video_id}: not a decodable video");
    }

    jobs.send(source).await.context("transcode queue closed")?;
    Ok(())
}

async fn push_to_origin(rendition: &Path) -> anyhow::Result<()> {
    let _upload = UPLOAD_SLOTS.acquire().await.context("upload slots closed")?;
    let name = rendition
        .file_name()
        .and_then(|n| n.to_str())
        .context("rendition without file name")?;
    let status = Command::new("aws")
        .args(["s3", "cp", "--only-show-errors"])
        .arg(rendition)
        .arg(format!("s3://media-origin/renditions/{name}"))
        .status()
        .await?;
    if !status.success() {
        bail!("upload of {name} to origin failed with {status}");
    }
    Ok(())
}

async fn transcode(source: PathBuf) -> anyhow::Result<()> {
    let _cpu = Arc::clone(&TRANSCODE_SLOTS).acquire_owned().await?;
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .context("source without file stem")?
        .to_owned();

    for (label, height) in RENDITIONS {
        let output = source.with_file_name(format!("{stem}-{label}.mp4"));
        let scale = format!("scale=-2:{height}");
        let status = Command::new("ffmpeg")
            .args(["-y", "-loglevel", "error", "-i"])
            .arg(&source)
            .args(["-vf", scale.as_str(), "-c:v", "libx264", "-preset", "veryfast"])
            .arg(&output)
            .status()
            .await?;
        if !status.success() {
            bail!("ffmpeg failed for {stem} at {label}");
        }
        // Ship each rendition as soon as it exists so players can start on the low ones.
        push_to_origin(&output).await?;
    }
    Ok(())
}

async fn transcode_dispatcher(mut jobs: mpsc::Receiver<PathBuf>) {
    while let Some(source) = jobs.recv().await {
        tokio::spawn(async move {
            if let Err(err) = transcode(source.clone()).await {
                eprintln!("transcoding {} failed: {err:#}", source.display());
            }
        });
    }
}

async fn upload_video(
    State(jobs): State<mpsc::Sender<PathBuf>>,
    UrlPath(video_id): UrlPath<String>,
    body: Body,
) -> (StatusCode, String) {
    if !video_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return (StatusCode::BAD_REQUEST, "invalid video id".into());
    }
    match ingest_upload(&video_id, body, &jobs).await {
        Ok(()) => (StatusCode::ACCEPTED, video_id),
        Err(err) => (StatusCode::UNPROCESSABLE_ENTITY, format!("{err:#}")),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (sender, receiver) = mpsc::channel(1024);
    tokio::spawn(transcode_dispatcher(receiver));

    let app = Router::new()
        .route("/videos/:video_id", put(upload_video))
        .with_state(sender);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
