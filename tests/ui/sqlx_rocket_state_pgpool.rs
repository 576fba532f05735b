// rocket with `&State<PgPool>` (managed with `.manage(pool)`): the route holds `db.begin()` and awaits
// `like_count(db.inner(), ..)`, which runs `fetch_one(pool)` on the same pool.
use rocket::{http::Status, post, serde::json::Json, State};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Serialize)]
pub struct LikeCount {
    pub post_id: i64,
    pub likes: i64,
}

async fn like_count(pool: &PgPool, post_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM post_likes WHERE post_id = $1")
        .bind(post_id)
        .fetch_one(pool)
        .await
}

#[post("/posts/<post_id>/like?<user_id>")]
pub async fn like_post(db: &State<PgPool>, post_id: i64, user_id: i64) -> Result<Json<LikeCount>, Status> {
    let mut tx = db.begin().await.map_err(|_| Status::ServiceUnavailable)?;
    sqlx::query("INSERT INTO post_likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(post_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(|_| Status::InternalServerError)?;
    let likes = like_count(db.inner(), post_id).await.map_err(|_| Status::InternalServerError)?; //~ nested_checkout
    sqlx::query("UPDATE posts SET like_count = $2 WHERE id = $1")
        .bind(post_id)
        .bind(likes)
        .execute(&mut *tx)
        .await
        .map_err(|_| Status::InternalServerError)?;
    tx.commit().await.map_err(|_| Status::InternalServerError)?;
    Ok(Json(LikeCount { post_id, likes }))
}
