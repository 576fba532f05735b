// A static `Semaphore::const_new(4)` limits calls to the GitHub API: `sync_repo` holds a permit
// and awaits `fetch_topics(..)`, which acquires from the same static semaphore.
use serde::Deserialize;
use tokio::sync::Semaphore;

static GITHUB_API: Semaphore = Semaphore::const_new(4);

#[derive(Deserialize)]
pub struct Topics {
    pub names: Vec<String>,
}

#[derive(Deserialize)]
pub struct RepoInfo {
    pub full_name: String,
    pub stargazers_count: u64,
}

async fn fetch_topics(http: &reqwest::Client, full_name: &str) -> anyhow::Result<Topics> {
    let _permit = GITHUB_API.acquire().await?;
    let url = format!("https://api.github.com/repos/{full_name}/topics");
    Ok(http.get(url).send().await?.error_for_status()?.json().await?)
}

pub async fn sync_repo(http: &reqwest::Client, full_name: &str) -> anyhow::Result<(RepoInfo, Topics)> {
    let _permit = GITHUB_API.acquire().await?;
    let url = format!("https://api.github.com/repos/{full_name}");
    let info: RepoInfo = http.get(url).send().await?.error_for_status()?.json().await?;
    let topics = fetch_topics(http, full_name).await?; //~ nested_checkout
    Ok((info, topics))
}
