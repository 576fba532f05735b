//! Cart endpoints. `redis_conn!` comes from `kv-store`; expanded, it is a checkout.
use kv_store::{redis_conn, RedisPool, Unavailable};
use redis::AsyncCommands;

pub struct AppState {
    pub redis: RedisPool,
}

async fn cart_size(state: &AppState, user: u64) -> Result<usize, Unavailable> {
    let mut conn = redis_conn!(state.redis);
    let n: usize = conn.hlen(format!("cart:{user}")).await.map_err(|_| Unavailable)?;
    Ok(n)
}

pub async fn add_to_cart(state: &AppState, user: u64, sku: &str) -> Result<usize, Unavailable> {
    let mut conn = redis_conn!(state.redis);
    conn.hincr::<_, _, _, ()>(format!("cart:{user}"), sku, 1)
        .await
        .map_err(|_| Unavailable)?;
    let size = cart_size(state, user).await?; //~ nested_checkout
    Ok(size)
}

pub async fn clear_cart(state: &AppState, user: u64) -> Result<(), Unavailable> {
    let mut conn = redis_conn!(state.redis);
    conn.del::<_, ()>(format!("cart:{user}")).await.map_err(|_| Unavailable)?;
    Ok(())
}
