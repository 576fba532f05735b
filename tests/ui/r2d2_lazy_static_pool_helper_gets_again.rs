// r2d2 pool in a `lazy_static!`: `render_inbox` holds a connection from REDIS_POOL and calls
// `unread_count`, which takes a second connection from the same static pool (deadlock under load).
use lazy_static::lazy_static;
use redis::Commands;

lazy_static! {
    static ref REDIS_POOL: r2d2::Pool<redis::Client> = {
        let client = redis::Client::open("redis://127.0.0.1:6379/").expect("redis url");
        r2d2::Pool::builder()
            .max_size(16)
            .build(client)
            .expect("redis pool")
    };
}

pub struct InboxItem {
    pub id: String,
    pub subject: String,
}

fn unread_count(user_id: u64) -> redis::RedisResult<u64> {
    let mut conn = REDIS_POOL.get().expect("redis connection");
    conn.scard(format!("inbox:{user_id}:unread"))
}

pub fn render_inbox(user_id: u64) -> redis::RedisResult<(Vec<InboxItem>, u64)> {
    let mut conn = REDIS_POOL.get().expect("redis connection");
    let ids: Vec<String> = conn.lrange(format!("inbox:{user_id}"), 0, 49)?;
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let subject: String = conn.hget(format!("msg:{id}"), "subject")?;
        items.push(InboxItem { id, subject });
    }
    let unread = unread_count(user_id)?; //~ nested_checkout
    Ok((items, unread))
}
