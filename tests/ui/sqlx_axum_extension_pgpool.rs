// axum with `Extension(pool): Extension<PgPool>`: the handler holds `pool.acquire()` and, inside
// the loop, runs `sqlx::query(..).fetch_optional(&pool)` on the pool itself: a second connection.
use axum::{http::StatusCode, Extension, Json};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

#[derive(Deserialize)]
pub struct ResolveRequest {
    pub short_codes: Vec<String>,
}

#[derive(Serialize)]
pub struct Resolved {
    pub code: String,
    pub target: Option<String>,
}

pub async fn resolve_links(
    Extension(pool): Extension<PgPool>,
    Json(req): Json<ResolveRequest>,
) -> Result<Json<Vec<Resolved>>, StatusCode> {
    let mut conn = pool.acquire().await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    let mut out = Vec::with_capacity(req.short_codes.len());
    for code in req.short_codes {
        let target: Option<String> = sqlx::query_scalar("SELECT target FROM links WHERE code = $1")
            .bind(&code)
            .fetch_optional(&pool) //~ nested_checkout
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        sqlx::query("UPDATE links SET hits = hits + 1 WHERE code = $1")
            .bind(&code)
            .execute(&mut *conn)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        out.push(Resolved { code, target });
    }
    Ok(Json(out))
}
