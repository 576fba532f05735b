// Listing handlers; the blocking work runs on actix's thread pool via web::block.
// `apply_listing_update` holds a pg connection and calls cache::evict_listing (redis); `load_listing_cached`
// holds a redis connection and calls db::fetch_listing (pg): the two pools are taken in opposite orders.
use actix_web::{web, HttpResponse};
use redis::Commands;
use serde::Deserialize;

use crate::{
    cache,
    db::{self, Listing},
    error::ApiError,
    state::AppState,
};

#[derive(Debug, Deserialize)]
pub struct ListingUpdate {
    pub title: String,
    pub price_cents: i64,
}

fn apply_listing_update(state: &AppState, id: i64, update: &ListingUpdate) -> Result<(), ApiError> {
    let mut pg = state.pg.get()?;
    let mut tx = pg.transaction()?;

    let changed = tx.execute(
        "UPDATE listings SET title = $2, price_cents = $3, updated_at = now() WHERE id = $1 AND deleted_at IS NULL",
        &[&id, &update.title, &update.price_cents],
    )?;
    if changed == 0 {
        return Err(ApiError::NotFound);
    }
    tx.execute(
        "INSERT INTO listing_history (listing_id, title, price_cents) VALUES ($1, $2, $3)",
        &[&id, &update.title, &update.price_cents],
    )?;

    // Evict before commit: if redis is down the update is rolled back instead of serving stale data.
    cache::evict_listing(state, id)?; //~ checkout_order_inversion
    tx.commit()?;
    Ok(())
}

fn load_listing_cached(state: &AppState, id: i64) -> Result<Listing, ApiError> {
    let mut redis = state.redis.get()?;
    let key = cache::listing_key(id);
    if let Some(raw) = redis.get::<_, Option<String>>(&key)? {
        return Ok(serde_json::from_str(&raw)?);
    }

    let listing = db::fetch_listing(state, id)?.ok_or(ApiError::NotFound)?;
    let _: () = redis.set_ex(&key, serde_json::to_string(&listing)?, 600)?;
    Ok(listing)
}

pub async fn update_listing(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: web::Json<ListingUpdate>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let update = body.into_inner();
    web::block(move || apply_listing_update(&state, id, &update)).await??;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn get_listing(
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let listing = web::block(move || load_listing_cached(&state, id)).await??;
    Ok(HttpResponse::Ok().json(listing))
}
