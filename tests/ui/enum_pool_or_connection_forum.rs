// A forum backend passes "a pool or a connection I already hold" as one enum, and every query
// helper asks it for a connection. Holding the connection of a post while a helper is given the
// pool again takes a second one; giving it the held connection instead does not.
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::AsyncPgConnection;

pub type ForumPool = Pool<AsyncPgConnection>;

pub enum DbPool<'a> {
    Pool(&'a ForumPool),
    Conn(&'a mut AsyncPgConnection),
}

pub enum DbConn<'a> {
    Pool(Object<AsyncPgConnection>),
    Conn(&'a mut AsyncPgConnection),
}

pub struct Forum {
    pool: ForumPool,
}

impl Forum {
    pub fn pool(&self) -> DbPool<'_> {
        DbPool::Pool(&self.pool)
    }
}

pub async fn get_conn<'a, 'b: 'a>(pool: &'a mut DbPool<'b>) -> Result<DbConn<'a>, String> {
    Ok(match pool {
        DbPool::Pool(p) => DbConn::Pool(p.get().await.map_err(|e| e.to_string())?),
        DbPool::Conn(c) => DbConn::Conn(c),
    })
}

pub async fn author_name(pool: &mut DbPool<'_>, author: i64) -> Result<String, String> {
    let _conn = get_conn(pool).await?;
    Ok(format!("user {author}"))
}

pub async fn show_post(forum: &Forum, post: i64) -> Result<String, String> {
    let mut pool = forum.pool();
    let _conn = get_conn(&mut pool).await?;
    let author = author_name(&mut forum.pool(), post).await?; //~ nested_checkout
    Ok(author)
}

pub async fn show_post_on_one_connection(
    forum: &Forum,
    post: i64,
    conn: &mut AsyncPgConnection,
) -> Result<String, String> {
    let mut held = DbPool::Conn(conn);
    let _conn = get_conn(&mut held).await?;
    author_name(&mut forum.pool(), post).await
}
