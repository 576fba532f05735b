//! Rendered-page cache. Sessions live on a separate Redis deployment from the page cache.

use once_cell::sync::Lazy;
use redis::{Commands, ErrorKind, RedisError, RedisResult};

type RedisPool = r2d2::Pool<redis::Client>;

fn build(url_var: &str, max_size: u32) -> RedisPool {
    let url = std::env::var(url_var).unwrap_or_else(|_| "redis://127.0.0.1/".to_owned());
    let client = redis::Client::open(url).expect("invalid redis url");
    r2d2::Pool::builder()
        .max_size(max_size)
        .build(client)
        .expect("redis pool")
}

static PAGE_CACHE: Lazy<RedisPool> = Lazy::new(|| build("PAGE_CACHE_REDIS_URL", 32));
static SESSIONS: Lazy<RedisPool> = Lazy::new(|| build("SESSION_REDIS_URL", 16));

fn pool_err(e: r2d2::Error) -> RedisError {
    (ErrorKind::IoError, "redis pool timeout", e.to_string()).into()
}

pub fn session_user(token: &str) -> RedisResult<Option<u64>> {
    let mut conn = SESSIONS.get().map_err(pool_err)?;
    conn.hget(format!("session:{token}"), "user_id")
}

pub fn cached_page(token: &str, path: &str) -> RedisResult<Option<String>> {
    let mut conn = PAGE_CACHE.get().map_err(pool_err)?;
    let key = match session_user(token)? {
        Some(uid) => format!("page:u{uid}:{path}"),
        None => format!("page:anon:{path}"),
    };
    let _: () = conn.incr("page_cache:lookups", 1)?;
    conn.get(key)
}

pub fn store_page(token: &str, path: &str, html: &str, ttl_secs: u64) -> RedisResult<()> {
    let user = session_user(token)?;
    let mut conn = PAGE_CACHE.get().map_err(pool_err)?;
    let key = match user {
        Some(uid) => format!("page:u{uid}:{path}"),
        None => format!("page:anon:{path}"),
    };
    conn.set_ex(key, html, ttl_secs)
}
