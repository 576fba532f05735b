mod settings;

use actix_web::{post, web, App, HttpResponse, HttpServer, Responder};
use deadpool_postgres::{Pool, Runtime};
use tokio_postgres::NoTls;

#[post("/events")]
async fn record_event(pool: web::Data<Pool>, event: web::Json<serde_json::Value>) -> impl Responder {
    let client = match pool.get().await {
        Ok(client) => client,
        Err(e) => return HttpResponse::ServiceUnavailable().body(e.to_string()),
    };
    let payload = event.into_inner();
    match client
        .execute("INSERT INTO audit_events (payload) VALUES ($1)", &[&payload])
        .await
    {
        Ok(_) => HttpResponse::Accepted().finish(),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    dotenvy::dotenv().ok();
    let settings = settings::Settings::from_env().expect("invalid configuration");
    let pool = settings
        .pg
        .create_pool(Some(Runtime::Tokio1), NoTls)
        .expect("failed to create postgres pool");

    let listen = settings.listen.clone();
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .service(record_event)
    })
    .bind(listen)?
    .run()
    .await
}
