use sqlx::{Acquire, PgConnection, PgExecutor, PgPool, Postgres};
use uuid::Uuid;

pub struct Address {
    pub line1: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
}

pub struct CustomerPatch {
    pub display_name: Option<String>,
    pub address: Option<Address>,
}

async fn upsert_address(conn: &mut PgConnection, customer_id: Uuid, a: &Address) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO addresses (customer_id, line1, city, postcode, country) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (customer_id) DO UPDATE SET line1 = $2, city = $3, postcode = $4, country = $5 RETURNING id",
    )
    .bind(customer_id)
    .bind(&a.line1)
    .bind(&a.city)
    .bind(&a.postcode)
    .bind(&a.country)
    .fetch_one(&mut *conn)
    .await
}

async fn log_change(exec: impl PgExecutor<'_>, customer_id: Uuid, what: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO customer_changes (customer_id, what) VALUES ($1, $2)")
        .bind(customer_id)
        .bind(what)
        .execute(exec)
        .await?;
    Ok(())
}

async fn bump_version<'c, A>(conn: A, customer_id: Uuid) -> sqlx::Result<i32>
where
    A: Acquire<'c, Database = Postgres>,
{
    let mut c = conn.acquire().await?;
    sqlx::query_scalar("UPDATE customers SET version = version + 1 WHERE id = $1 RETURNING version")
        .bind(customer_id)
        .fetch_one(&mut *c)
        .await
}

pub async fn update_customer(pool: &PgPool, id: Uuid, patch: CustomerPatch) -> sqlx::Result<i32> {
    let mut tx = pool.begin().await?;

    if let Some(name) = &patch.display_name {
        sqlx::query("UPDATE customers SET display_name = $2 WHERE id = $1")
            .bind(id)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        log_change(&mut *tx, id, "display_name").await?;
    }
    if let Some(addr) = &patch.address {
        upsert_address(&mut tx, id, addr).await?;
        log_change(&mut *tx, id, "address").await?;
    }

    let version = bump_version(&mut *tx, id).await?;
    tx.commit().await?;
    Ok(version)
}

pub async fn set_address(pool: &PgPool, id: Uuid, addr: &Address) -> sqlx::Result<i64> {
    let mut conn = pool.acquire().await?;
    let address_id = upsert_address(&mut conn, id, addr).await?;
    log_change(&mut *conn, id, "address").await?;
    Ok(address_id)
}
