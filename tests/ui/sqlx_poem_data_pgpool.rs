// poem with `Data(pool): Data<&PgPool>`: the handler holds `pool.begin()` and awaits
// `revoke_keys(pool, ..)`, which runs `execute(pool)` on the same pool before the commit.
use poem::{
    handler,
    http::StatusCode,
    web::{Data, Json, Path},
    Error, Result,
};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Serialize)]
pub struct NewKey {
    pub client_id: i64,
    pub key: String,
}

async fn revoke_keys(pool: &PgPool, client_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE api_keys SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL")
        .bind(client_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

fn db_error(err: sqlx::Error) -> Error {
    Error::new(err, StatusCode::INTERNAL_SERVER_ERROR)
}

#[handler]
pub async fn rotate_api_key(Data(pool): Data<&PgPool>, Path(client_id): Path<i64>) -> Result<Json<NewKey>> {
    let mut tx = pool.begin().await.map_err(db_error)?;
    let revoked = revoke_keys(pool, client_id).await.map_err(db_error)?; //~ nested_checkout
    tracing::info!(client_id, revoked, "rotating api key");
    let key: String = sqlx::query_scalar(
        "INSERT INTO api_keys (client_id, key) VALUES ($1, encode(gen_random_bytes(32), 'hex')) RETURNING key",
    )
    .bind(client_id)
    .fetch_one(&mut *tx)
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(Json(NewKey { client_id, key }))
}
