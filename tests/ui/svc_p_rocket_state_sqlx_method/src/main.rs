#[macro_use]
extern crate rocket;

use rand::distributions::{Alphanumeric, DistString};
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::State;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

pub struct AppState {
    db: PgPool,
    max_api_keys: i64,
}

impl AppState {
    async fn active_key_count(&self, account_id: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT count(*) FROM api_keys WHERE account_id = $1 AND revoked_at IS NULL")
            .bind(account_id)
            .fetch_one(&self.db)
            .await
    }
}

#[derive(Deserialize)]
struct NewKey {
    label: String,
}

#[derive(Serialize)]
struct CreatedKey {
    id: i64,
    secret: String,
}

#[post("/accounts/<account_id>/keys", data = "<req>")]
async fn create_key(state: &State<AppState>, account_id: i64, req: Json<NewKey>) -> Result<Json<CreatedKey>, Status> {
    let mut conn = state.db.acquire().await.map_err(|_| Status::ServiceUnavailable)?;

    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM accounts WHERE id = $1)")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(|_| Status::InternalServerError)?;
    if !exists {
        return Err(Status::NotFound);
    }

    let active = state.active_key_count(account_id).await.map_err(|_| Status::InternalServerError)?; //~ nested_checkout
    if active >= state.max_api_keys {
        return Err(Status::Conflict);
    }

    let secret = Alphanumeric.sample_string(&mut rand::thread_rng(), 40);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_keys (account_id, label, secret_hash) VALUES ($1, $2, crypt($3, gen_salt('bf'))) RETURNING id",
    )
    .bind(account_id)
    .bind(&req.label)
    .bind(&secret)
    .fetch_one(&mut *conn)
    .await
    .map_err(|_| Status::InternalServerError)?;

    Ok(Json(CreatedKey { id, secret }))
}

#[launch]
fn rocket() -> _ {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = PgPool::connect_lazy(&url).expect("invalid DATABASE_URL");
    rocket::build()
        .manage(AppState { db, max_api_keys: 5 })
        .mount("/", routes![create_key])
}
