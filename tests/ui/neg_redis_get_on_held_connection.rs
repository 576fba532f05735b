// Negative: `conn.get(key)` / `conn.set_ex(..)` are redis GET/SETEX commands (`AsyncCommands`) on the
// held deadpool-redis connection, and the helper receives that connection: no second checkout.
use deadpool_redis::{redis::AsyncCommands, Connection, Pool};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct Profile {
    pub id: u64,
    pub name: String,
    pub avatar_url: Option<String>,
}

async fn bump_hit_counter(conn: &mut Connection, user_id: u64) -> deadpool_redis::redis::RedisResult<()> {
    let _: i64 = conn.hincr("profile_cache_hits", user_id, 1).await?;
    Ok(())
}

pub async fn cached_profile(pool: &Pool, user_id: u64) -> anyhow::Result<Option<Profile>> {
    let mut conn = pool.get().await?;
    let key = format!("profile:{user_id}");
    let cached: Option<String> = conn.get(&key).await?;
    let Some(json) = cached else {
        return Ok(None);
    };
    bump_hit_counter(&mut conn, user_id).await?;
    let ttl: i64 = conn.ttl(&key).await?;
    if ttl < 60 {
        let _: () = conn.set_ex(&key, &json, 600).await?;
    }
    Ok(Some(serde_json::from_str(&json)?))
}
