//! Per-shop message queues in Redis. Producers push onto `messages:<shop>` and
//! bump `messages:pending`; the notifier drains them with `message_list_shop_get`.
//!
//! One drain uses one pooled connection: the helpers run on the connection
//! their caller already holds instead of taking a second one from the pool.

use std::time::Duration;

use once_cell::sync::Lazy;
use redis::{Commands, RedisResult};

/// Most messages read from one shop's queue per drain.
const BATCH: isize = 100;
const PENDING_KEY: &str = "messages:pending";

static REDIS_POOL: Lazy<r2d2::Pool<redis::Client>> = Lazy::new(|| {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1/".to_string());
    let client = redis::Client::open(url).expect("invalid REDIS_URL");
    r2d2::Pool::builder()
        .max_size(300)
        .connection_timeout(Duration::from_secs(10))
        .build(client)
        .expect("redis pool")
});

/// The messages drained from one shop's queue.
#[derive(Debug)]
pub struct ShopMessages {
    pub shop: String,
    pub messages: Vec<String>,
}

fn queue_key(shop: &str) -> String {
    format!("messages:{shop}")
}

fn message_shop_get(conn: &mut redis::Connection, shop: &str) -> RedisResult<Vec<String>> {
    conn.lrange(queue_key(shop), 0, BATCH - 1)
}

fn message_shop_del(conn: &mut redis::Connection, shop: &str) -> RedisResult<()> {
    conn.del(queue_key(shop))
}

/// Drains the queue of every shop in `shops`; shops with nothing queued are left out.
pub fn message_list_shop_get(shops: &[String]) -> RedisResult<Vec<ShopMessages>> {
    let mut c = REDIS_POOL.get().expect("redis connection");
    let pending: Option<usize> = c.get(PENDING_KEY)?;
    if pending.unwrap_or(0) == 0 {
        return Ok(Vec::new());
    }

    let mut drained = Vec::with_capacity(shops.len());
    for shop in shops {
        let messages = message_shop_get(&mut c, shop).unwrap_or_default();
        if messages.is_empty() {
            continue;
        }
        message_shop_del(&mut c, shop)?;
        let _: () = c.decr(PENDING_KEY, messages.len())?;
        drained.push(ShopMessages {
            shop: shop.clone(),
            messages,
        });
    }
    Ok(drained)
}
