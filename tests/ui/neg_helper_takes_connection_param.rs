// Negative: the helper takes the held client (`&Client`, deadpool's guard type) and runs on it; it
// never touches the pool, so nothing is checked out while `client` is held.
use deadpool_postgres::{Client, Pool};

pub struct User {
    pub id: i64,
    pub email: String,
    pub plan: String,
}

async fn load_user(client: &Client, id: i64) -> Result<Option<User>, deadpool_postgres::tokio_postgres::Error> {
    let row = client
        .query_opt("SELECT id, email, plan FROM users WHERE id = $1", &[&id])
        .await?;
    Ok(row.map(|r| User { id: r.get(0), email: r.get(1), plan: r.get(2) }))
}

pub async fn upgrade_plan(pool: &Pool, user_id: i64, plan: &str) -> anyhow::Result<bool> {
    let client = pool.get().await?;
    let Some(user) = load_user(&client, user_id).await? else {
        return Ok(false);
    };
    if user.plan == plan {
        return Ok(true);
    }
    client
        .execute("UPDATE users SET plan = $2 WHERE id = $1", &[&user.id, &plan])
        .await?;
    tracing::info!(email = %user.email, from = %user.plan, to = plan, "plan changed");
    Ok(true)
}
