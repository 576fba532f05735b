// actix-web with a diesel r2d2 pool in `web::Data<DbPool>`: inside `web::block` the handler holds
// `conn` and calls `fetch_author(&pool, ..)` (a `&DbPool`), which checks out from the same pool.
use actix_web::{get, web, HttpResponse};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use serde::Serialize;

use crate::schema::{posts, users};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Queryable, Serialize)]
pub struct Post {
    pub id: i32,
    pub author_id: i32,
    pub title: String,
    pub body: String,
}

#[derive(Queryable, Serialize)]
pub struct Author {
    pub id: i32,
    pub display_name: String,
}

#[derive(Serialize)]
struct PostView {
    post: Post,
    author: Author,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn fetch_author(pool: &DbPool, author_id: i32) -> Result<Author, BoxError> {
    let mut conn = pool.get()?;
    let author = users::table
        .find(author_id)
        .select((users::id, users::display_name))
        .first::<Author>(&mut conn)?;
    Ok(author)
}

#[get("/posts/{id}")]
pub async fn show_post(pool: web::Data<DbPool>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let post_id = path.into_inner();
    let view = web::block(move || {
        let mut conn = pool.get()?;
        let post = posts::table.find(post_id).first::<Post>(&mut conn)?;
        let author = fetch_author(&pool, post.author_id)?; //~ nested_checkout
        Ok::<_, BoxError>(PostView { post, author })
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(view))
}
