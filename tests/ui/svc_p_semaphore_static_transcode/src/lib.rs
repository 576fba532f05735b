//! Video transcoding for uploaded media.

use std::path::{Path, PathBuf};

use tokio::process::Command;
use tokio::sync::Semaphore;

/// ffmpeg is CPU-bound: never run more than four at once on a worker node.
static FFMPEG_SLOTS: Semaphore = Semaphore::const_new(4);

pub struct TranscodeJob {
    pub source: PathBuf,
    pub out_dir: PathBuf,
    pub renditions: Vec<u32>,
}

async fn run_ffmpeg(args: &[String]) -> anyhow::Result<()> {
    let status = Command::new("ffmpeg").arg("-y").args(args).status().await?;
    anyhow::ensure!(status.success(), "ffmpeg exited with {status}");
    Ok(())
}

/// Grabs a frame two seconds in as the poster image.
pub async fn extract_poster(source: &Path, out_dir: &Path) -> anyhow::Result<PathBuf> {
    let _slot = FFMPEG_SLOTS.acquire().await?;
    let poster = out_dir.join("poster.jpg");
    run_ffmpeg(&[
        "-ss".into(),
        "2".into(),
        "-i".into(),
        source.display().to_string(),
        "-frames:v".into(),
        "1".into(),
        poster.display().to_string(),
    ])
    .await?;
    Ok(poster)
}

pub async fn transcode(job: &TranscodeJob) -> anyhow::Result<Vec<PathBuf>> {
    let _permit = FFMPEG_SLOTS.acquire().await.expect("ffmpeg semaphore closed");
    let mut outputs = Vec::with_capacity(job.renditions.len() + 1);

    for height in &job.renditions {
        let out = job.out_dir.join(format!("{height}p.mp4"));
        tracing::debug!(source = %job.source.display(), height, "transcoding rendition");
        run_ffmpeg(&[
            "-i".into(),
            job.source.display().to_string(),
            "-vf".into(),
            format!("scale=-2:{height}"),
            "-c:v".into(),
            "libx264".into(),
            out.display().to_string(),
        ])
        .await?;
        outputs.push(out);
    }

    let poster = extract_poster(&job.source, &job.out_dir).await?; //~ nested_checkout
    outputs.push(poster);
    Ok(outputs)
}
