use std::time::Duration;

use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};
use serde::Serialize;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Serialize, sqlx::FromRow)]
struct Account {
    id: Uuid,
    email: String,
    display_name: Option<String>,
}

#[get("/accounts/{id}")]
async fn show_account(pool: web::Data<PgPool>, id: web::Path<Uuid>) -> impl Responder {
    let account = sqlx::query_as::<_, Account>(
        "SELECT id, email, display_name FROM accounts WHERE id = $1",
    )
    .bind(id.into_inner())
    .fetch_optional(pool.get_ref())
    .await;

    match account {
        Ok(Some(a)) => HttpResponse::Ok().json(a),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let database_url = std::env::var("DATABASE_URL")?;

    // Never fail a request just because the pool is busy.
    let pool = PgPoolOptions::new() //~ unbounded_checkout_wait
        .max_connections(20)
        .min_connections(2)
        .acquire_timeout(Duration::MAX)
        .idle_timeout(Some(Duration::from_secs(300)))
        .connect(&database_url)
        .await?;

    sqlx::migrate!("./migrations").run(&pool).await?;

    let data = web::Data::new(pool);
    HttpServer::new(move || App::new().app_data(data.clone()).service(show_account))
        .bind(("0.0.0.0", 8080))?
        .run()
        .await?;
    Ok(())
}
