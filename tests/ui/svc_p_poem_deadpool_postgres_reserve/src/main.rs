mod inventory;

use deadpool_postgres::{Config, Pool, Runtime};
use poem::error::InternalServerError;
use poem::listener::TcpListener;
use poem::web::{Data, Json};
use poem::{handler, post, EndpointExt, Route, Server};
use serde::{Deserialize, Serialize};
use tokio_postgres::NoTls;

#[derive(Deserialize)]
struct CheckoutItem {
    sku: String,
    qty: i32,
}

#[derive(Deserialize)]
struct CheckoutRequest {
    customer_id: i64,
    items: Vec<CheckoutItem>,
}

#[derive(Serialize)]
struct CheckoutResponse {
    order_id: i64,
}

#[handler]
async fn checkout(Data(pool): Data<&Pool>, Json(req): Json<CheckoutRequest>) -> poem::Result<Json<CheckoutResponse>> {
    let mut client = pool.get().await.map_err(InternalServerError)?;
    let tx = client.transaction().await.map_err(InternalServerError)?;

    let order_id: i64 = tx
        .query_one("INSERT INTO orders (customer_id) VALUES ($1) RETURNING id", &[&req.customer_id])
        .await
        .map_err(InternalServerError)?
        .get(0);

    for item in &req.items {
        inventory::reserve(pool, &item.sku, item.qty).await.map_err(InternalServerError)?; //~ nested_checkout
        tx.execute(
            "INSERT INTO order_items (order_id, sku, qty) VALUES ($1, $2, $3)",
            &[&order_id, &item.sku, &item.qty],
        )
        .await
        .map_err(InternalServerError)?;
    }

    tx.commit().await.map_err(InternalServerError)?;
    Ok(Json(CheckoutResponse { order_id }))
}

#[tokio::main]
async fn main() -> Result<(), std::io::Error> {
    let mut cfg = Config::new();
    cfg.url = std::env::var("DATABASE_URL").ok();
    let pool = cfg.create_pool(Some(Runtime::Tokio1), NoTls).expect("postgres pool"); //~ unbounded_checkout_wait

    let app = Route::new().at("/checkout", post(checkout)).data(pool);
    Server::new(TcpListener::bind("0.0.0.0:3000")).run(app).await
}
