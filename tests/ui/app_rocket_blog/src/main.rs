#[macro_use]
extern crate rocket;

mod comments;
mod error;
mod models;
mod posts;
mod slug;

use sqlx::postgres::PgPoolOptions;

#[launch]
async fn rocket() -> _ {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect(&url)
        .await
        .expect("cannot connect to the database");

    rocket::build()
        .manage(pool)
        .mount("/", routes![posts::show, posts::create, posts::publish, posts::feed])
        .mount("/", routes![comments::add, comments::list, comments::remove])
        .register("/", catchers![error::not_found])
}
