use rocket::response::status::Created;
use rocket::serde::json::Json;
use rocket::State;
use sqlx::PgPool;

use crate::error::ApiError;
use crate::models::{self, NewPost, Post, POST_COLUMNS};
use crate::slug;

#[get("/posts/<slug>")]
pub async fn show(db: &State<PgPool>, slug: &str) -> Result<Json<Post>, ApiError> {
    models::find_by_slug(db, slug).await?.map(Json).ok_or(ApiError::NotFound)
}

#[get("/feed?<limit>")]
pub async fn feed(db: &State<PgPool>, limit: Option<i64>) -> Result<Json<Vec<Post>>, ApiError> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT $1");
    let posts = sqlx::query_as::<_, Post>(&sql)
        .bind(limit.unwrap_or(20).clamp(1, 100))
        .fetch_all(db.inner())
        .await?;
    Ok(Json(posts))
}

/// Creates a draft. Drafts get a provisional slug; the public one is fixed on publish.
#[post("/posts", format = "json", data = "<input>")]
pub async fn create(db: &State<PgPool>, input: Json<NewPost>) -> Result<Created<Json<Post>>, ApiError> {
    let provisional = format!("draft-{}", slug::slugify(&input.title));
    let sql = format!("INSERT INTO posts (title, slug, body) VALUES ($1, $2, $3) RETURNING {POST_COLUMNS}");
    let post = sqlx::query_as::<_, Post>(&sql)
        .bind(&input.title)
        .bind(&provisional)
        .bind(&input.body)
        .fetch_one(db.inner())
        .await?;
    Ok(Created::new(format!("/drafts/{}", post.id)).body(Json(post)))
}

#[post("/posts/<id>/publish")]
pub async fn publish(db: &State<PgPool>, id: i64) -> Result<Json<Post>, ApiError> {
    let mut tx = db.begin().await?;
    let draft = models::load_for_update(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    if draft.published_at.is_some() {
        return Err(ApiError::Conflict("already published".into()));
    }
    let slug = slug::unique_slug(db, &draft.title).await?; //~ nested_checkout
    let sql = format!("UPDATE posts SET slug = $2, published_at = now() WHERE id = $1 RETURNING {POST_COLUMNS}");
    let post = sqlx::query_as::<_, Post>(&sql).bind(id).bind(&slug).fetch_one(&mut *tx).await?;
    {
        // Tag counters in a savepoint: a failure there must not undo the publish.
        let mut sp = tx.begin().await?;
        let bumped = sqlx::query(
            "UPDATE tags SET post_count = post_count + 1 WHERE id IN (SELECT tag_id FROM post_tags WHERE post_id = $1)",
        )
        .bind(id)
        .execute(&mut *sp)
        .await;
        match bumped {
            Ok(_) => sp.commit().await?,
            Err(e) => tracing::warn!(error = %e, post = id, "tag counters not updated"),
        }
    }
    tx.commit().await?;

    notify_subscribers(db.inner(), &post).await?;
    Ok(Json(post))
}

async fn notify_subscribers(pool: &PgPool, post: &Post) -> Result<(), ApiError> {
    let n = sqlx::query(
        "INSERT INTO outbox (kind, payload) SELECT 'new_post', json_build_object('post', $1::bigint, 'email', email) \
         FROM subscribers WHERE confirmed",
    )
    .bind(post.id)
    .execute(pool)
    .await?
    .rows_affected();
    tracing::info!(post = post.id, subscribers = n, "subscribers notified");
    Ok(())
}
