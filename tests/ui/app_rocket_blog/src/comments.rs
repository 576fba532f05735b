use rocket::http::Status;
use rocket::response::status::Created;
use rocket::serde::json::Json;
use rocket::State;
use sqlx::PgPool;

use crate::error::ApiError;
use crate::models::{self, Comment, NewComment};

const PAGE: i64 = 50;

/// Counts banned phrases in the text (0 means clean).
async fn moderation_hits(pool: &PgPool, text: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM banned_phrases WHERE $1 ILIKE '%' || phrase || '%'")
        .bind(text)
        .fetch_one(pool)
        .await
}

#[post("/posts/<post_id>/comments", format = "json", data = "<input>")]
pub async fn add(db: &State<PgPool>, post_id: i64, input: Json<NewComment>) -> Result<Created<Json<Comment>>, ApiError> {
    let mut conn = db.acquire().await?;
    let open: Option<bool> = sqlx::query_scalar("SELECT comments_open FROM posts WHERE id = $1 AND published_at IS NOT NULL")
        .bind(post_id)
        .fetch_optional(&mut *conn)
        .await?;
    match open {
        None => return Err(ApiError::NotFound),
        Some(false) => return Err(ApiError::Closed),
        Some(true) => {}
    }
    drop(conn);

    if moderation_hits(db, &input.body).await? > 0 {
        return Err(ApiError::Rejected);
    }
    let comment = sqlx::query_as::<_, Comment>(
        "INSERT INTO comments (post_id, author, body) VALUES ($1, $2, $3) RETURNING id, post_id, author, body, created_at",
    )
    .bind(post_id)
    .bind(&input.author)
    .bind(&input.body)
    .fetch_one(db.inner())
    .await?;
    models::refresh_post_stats(db, post_id).await?;
    Ok(Created::new(format!("/comments/{}", comment.id)).body(Json(comment)))
}

#[get("/posts/<post_id>/comments?<page>")]
pub async fn list(db: &State<PgPool>, post_id: i64, page: Option<i64>) -> Result<Json<Vec<Comment>>, ApiError> {
    let offset = page.unwrap_or(0).max(0) * PAGE;
    let comments = sqlx::query_as::<_, Comment>(
        "SELECT id, post_id, author, body, created_at FROM comments WHERE post_id = $1 ORDER BY created_at LIMIT $2 OFFSET $3",
    )
    .bind(post_id)
    .bind(PAGE)
    .bind(offset)
    .fetch_all(db.inner())
    .await?;
    Ok(Json(comments))
}

#[delete("/comments/<id>")]
pub async fn remove(db: &State<PgPool>, id: i64) -> Result<Status, ApiError> {
    let mut tx = db.begin().await?;
    let Some(post_id) = sqlx::query_scalar::<_, i64>("DELETE FROM comments WHERE id = $1 RETURNING post_id")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
    else {
        return Err(ApiError::NotFound);
    };
    sqlx::query("INSERT INTO moderation_log (comment_id, action) VALUES ($1, 'removed')")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    models::refresh_post_stats(db, post_id).await?;
    Ok(Status::NoContent)
}
