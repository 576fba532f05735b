// The `else` of a `let ... else` never falls through: the `drop(conn)` there ends the
// connection only on the path that leaves the loop iteration. On the path that goes on, `conn`
// is still held when `release_lease(&pool, ..)` runs its query on the pool.
use std::time::Duration;

use sqlx::{PgConnection, PgPool};

pub struct Lease {
    pub id: i64,
}

async fn claim(conn: &mut PgConnection) -> sqlx::Result<Option<Lease>> {
    sqlx::query_as!(Lease, "UPDATE leases SET owner = pg_backend_pid() WHERE owner IS NULL RETURNING id")
        .fetch_optional(conn)
        .await
}

async fn release_lease(pool: &PgPool, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE leases SET owner = NULL WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

pub async fn lease_loop(pool: PgPool) -> sqlx::Result<()> {
    loop {
        let mut conn = pool.acquire().await?;
        let Some(lease) = claim(&mut conn).await? else {
            drop(conn);
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        release_lease(&pool, lease.id).await?; //~ nested_checkout
    }
}
