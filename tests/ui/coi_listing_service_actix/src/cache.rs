// Redis cache for rendered listings. Each helper checks out its own connection from AppState.redis.
use redis::Commands;

use crate::{error::ApiError, state::AppState};

pub fn listing_key(id: i64) -> String {
    format!("listing:{id}")
}

pub fn evict_listing(state: &AppState, id: i64) -> Result<(), ApiError> {
    let mut redis = state.redis.get()?;
    let _: () = redis.del(&[listing_key(id), format!("listing:{id}:similar")])?;
    Ok(())
}
