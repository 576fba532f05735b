use actix_web::{error, get, web, App, HttpResponse, HttpServer};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use serde::Serialize;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

mod schema {
    diesel::table! {
        users (id) {
            id -> Int4,
            email -> Text,
            display_name -> Text,
        }
    }
    diesel::table! {
        user_preferences (user_id) {
            user_id -> Int4,
            theme -> Text,
            locale -> Text,
        }
    }
}

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = schema::users)]
struct User {
    id: i32,
    email: String,
    display_name: String,
}

#[derive(Queryable, Selectable, Serialize)]
#[diesel(table_name = schema::user_preferences)]
pub struct Preferences {
    theme: String,
    locale: String,
}

mod prefs {
    use super::{schema::user_preferences, DbPool, Preferences};
    use diesel::prelude::*;

    #[derive(Debug, thiserror::Error)]
    pub enum PrefsError {
        #[error(transparent)]
        Pool(#[from] diesel::r2d2::PoolError),
        #[error(transparent)]
        Query(#[from] diesel::result::Error),
    }

    pub fn load(pool: &DbPool, uid: i32) -> Result<Option<Preferences>, PrefsError> {
        let mut conn = pool.get()?;
        let p = user_preferences::table
            .find(uid)
            .select(Preferences::as_select())
            .first(&mut conn)
            .optional()?;
        Ok(p)
    }
}

#[derive(Serialize)]
struct ProfileView {
    user: User,
    preferences: Option<Preferences>,
}

#[get("/users/{id}/profile")]
async fn profile(pool: web::Data<DbPool>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    use schema::users;

    let uid = path.into_inner();
    let mut conn = pool.get().map_err(error::ErrorServiceUnavailable)?;
    let user: User = users::table
        .find(uid)
        .select(User::as_select())
        .first(&mut conn)
        .map_err(error::ErrorNotFound)?;

    let pool2 = pool.clone();
    let preferences = web::block(move || prefs::load(&pool2, uid)).await?.map_err(error::ErrorInternalServerError)?; //~ nested_checkout

    Ok(HttpResponse::Ok().json(ProfileView { user, preferences }))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let pool = Pool::builder()
        .max_size(10)
        .build(ConnectionManager::<PgConnection>::new(url))
        .expect("database pool");
    HttpServer::new(move || App::new().app_data(web::Data::new(pool.clone())).service(profile))
        .bind(("0.0.0.0", 8080))?
        .run()
        .await
}
