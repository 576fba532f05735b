use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PoolError};
use serde::Serialize;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;
pub type DynResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

diesel::table! {
    books (id) {
        id -> Int4,
        title -> Text,
        author -> Text,
    }
}

#[derive(Queryable, Serialize)]
pub struct Book {
    pub id: i32,
    pub title: String,
    pub author: String,
}

pub fn init_pool(database_url: &str) -> Result<DbPool, PoolError> {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::builder().max_size(8).test_on_check_out(true).build(manager)
}

pub fn books_by(pool: &DbPool, name: &str) -> DynResult<Vec<Book>> {
    let mut conn = pool.get()?;
    let found = books::table
        .filter(books::author.eq(name))
        .order(books::title.asc())
        .load::<Book>(&mut conn)?;
    Ok(found)
}
