use actix_web::{post, web, HttpResponse};
use deadpool_postgres::Pool;
use serde::Deserialize;

use crate::error::ApiError;
use crate::services;

#[derive(Deserialize)]
pub struct LineItem {
    pub sku: String,
    pub qty: i32,
}

#[derive(Deserialize)]
pub struct PlaceOrder {
    pub customer_id: i64,
    pub items: Vec<LineItem>,
}

#[post("/orders")]
pub async fn place_order(pool: web::Data<Pool>, body: web::Json<PlaceOrder>) -> Result<HttpResponse, ApiError> {
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let order_id: i64 = tx
        .query_one("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id", &[&body.customer_id])
        .await?
        .get(0);

    services::orders::reserve_items(order_id, &body.items, &pool).await?; //~ nested_checkout

    tx.commit().await?;
    Ok(HttpResponse::Created().json(order_id))
}
