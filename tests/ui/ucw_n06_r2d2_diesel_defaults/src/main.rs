mod db;

use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};

#[get("/authors/{name}/books")]
async fn author_books(pool: web::Data<db::DbPool>, name: web::Path<String>) -> impl Responder {
    let pool = pool.clone();
    let result = web::block(move || db::books_by(&pool, &name)).await;
    match result {
        Ok(Ok(books)) => HttpResponse::Ok().json(books),
        Ok(Err(e)) => HttpResponse::InternalServerError().body(e.to_string()),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    let pool = db::init_pool(&url).expect("failed to create pool");
    let data = web::Data::new(pool);
    HttpServer::new(move || App::new().app_data(data.clone()).service(author_books))
        .bind(("127.0.0.1", 8080))?
        .run()
        .await
}
