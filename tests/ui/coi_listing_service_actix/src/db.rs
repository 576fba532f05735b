// Postgres access for listings. Each helper checks out its own connection from AppState.pg.
use serde::{Deserialize, Serialize};

use crate::{error::ApiError, state::AppState};

#[derive(Debug, Serialize, Deserialize)]
pub struct Listing {
    pub id: i64,
    pub title: String,
    pub price_cents: i64,
    pub seller_id: i64,
}

pub fn fetch_listing(state: &AppState, id: i64) -> Result<Option<Listing>, ApiError> {
    let mut pg = state.pg.get()?;
    let row = pg.query_opt(
        "SELECT id, title, price_cents, seller_id FROM listings WHERE id = $1 AND deleted_at IS NULL",
        &[&id],
    )?;
    Ok(row.map(|row| Listing {
        id: row.get("id"),
        title: row.get("title"),
        price_cents: row.get("price_cents"),
        seller_id: row.get("seller_id"),
    }))
}
