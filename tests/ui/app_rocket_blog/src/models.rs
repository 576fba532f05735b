use chrono::{DateTime, Utc};
use rocket::serde::{Deserialize, Serialize};
use sqlx::{FromRow, PgConnection, PgPool};

#[derive(Debug, Clone, Serialize, FromRow)]
#[serde(crate = "rocket::serde")]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub body: String,
    pub published_at: Option<DateTime<Utc>>,
    pub comments_open: bool,
}

#[derive(Debug, Deserialize)]
#[serde(crate = "rocket::serde")]
pub struct NewPost {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, FromRow)]
#[serde(crate = "rocket::serde")]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
#[serde(crate = "rocket::serde")]
pub struct NewComment {
    pub author: String,
    pub body: String,
}

pub const POST_COLUMNS: &str = "id, title, slug, body, published_at, comments_open";

pub async fn find_by_slug(pool: &PgPool, slug: &str) -> Result<Option<Post>, sqlx::Error> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE slug = $1 AND published_at IS NOT NULL");
    sqlx::query_as::<_, Post>(&sql).bind(slug).fetch_optional(pool).await
}

pub async fn load_for_update(conn: &mut PgConnection, id: i64) -> Result<Option<Post>, sqlx::Error> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1 FOR UPDATE");
    sqlx::query_as::<_, Post>(&sql).bind(id).fetch_optional(conn).await
}

pub async fn slug_taken(pool: &PgPool, slug: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM posts WHERE slug = $1 AND published_at IS NOT NULL)")
        .bind(slug)
        .fetch_one(pool)
        .await
}

pub async fn refresh_post_stats(pool: &PgPool, post_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE posts SET comment_count = (SELECT count(*) FROM comments WHERE post_id = $1) WHERE id = $1")
        .bind(post_id)
        .execute(pool)
        .await?;
    Ok(())
}
