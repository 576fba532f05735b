use deadpool_redis::{redis::AsyncCommands, Pool as RedisPool};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lng: f64,
}

#[derive(Deserialize)]
struct GeocodeResponse {
    results: Vec<GeocodeResult>,
}

#[derive(Deserialize)]
struct GeocodeResult {
    location: Coordinates,
}

#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    #[error("address not found")]
    NotFound,
    #[error(transparent)]
    Pool(#[from] deadpool_redis::PoolError),
    #[error(transparent)]
    Redis(#[from] deadpool_redis::redis::RedisError),
    #[error(transparent)]
    Http(#[from] reqwest::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

pub struct GeocodingService {
    redis: RedisPool,
    http: reqwest::Client,
    api_key: String,
}

impl GeocodingService {
    pub async fn lookup(&self, address: &str) -> Result<Coordinates, GeoError> {
        let cache_key = format!("geo:v2:{}", address.trim().to_lowercase());
        let mut conn = self.redis.get().await?;

        let hit: Option<String> = conn.get(&cache_key).await?;
        if let Some(json) = hit {
            return Ok(serde_json::from_str(&json)?);
        }

        let resp: GeocodeResponse = self //~ guard_held_across_await
            .http
            .get("https://maps.example.com/api/geocode/json")
            .query(&[("address", address), ("key", self.api_key.as_str())])
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;

        let coords = resp
            .results
            .into_iter()
            .next()
            .ok_or(GeoError::NotFound)?
            .location;

        let _: () = conn.set_ex(&cache_key, serde_json::to_string(&coords)?, 86_400).await?;
        Ok(coords)
    }
}
