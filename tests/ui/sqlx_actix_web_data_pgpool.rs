// actix-web: the pool arrives as `web::Data<PgPool>`; the handler holds `pool.begin()` and awaits
// `load_cart(&pool, ..)` (`&Data<PgPool>` coerces to `&PgPool`), which queries the same pool.
use actix_web::{error, post, web, HttpResponse};
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct CartLine {
    sku: String,
    qty: i32,
    price_cents: i64,
}

async fn load_cart(pool: &PgPool, cart_id: i64) -> Result<Vec<CartLine>, sqlx::Error> {
    sqlx::query_as("SELECT sku, qty, price_cents FROM cart_lines WHERE cart_id = $1")
        .bind(cart_id)
        .fetch_all(pool)
        .await
}

#[post("/carts/{id}/checkout")]
pub async fn checkout(pool: web::Data<PgPool>, path: web::Path<i64>) -> actix_web::Result<HttpResponse> {
    let cart_id = path.into_inner();
    let mut tx = pool.begin().await.map_err(error::ErrorServiceUnavailable)?;
    let lines = load_cart(&pool, cart_id).await.map_err(error::ErrorInternalServerError)?; //~ nested_checkout
    let total: i64 = lines.iter().map(|l| l.price_cents * i64::from(l.qty)).sum();
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (cart_id, total_cents) VALUES ($1, $2) RETURNING id",
    )
    .bind(cart_id)
    .bind(total)
    .fetch_one(&mut *tx)
    .await
    .map_err(error::ErrorInternalServerError)?;
    for line in &lines {
        sqlx::query("INSERT INTO order_lines (order_id, sku, qty) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(&line.sku)
            .bind(line.qty)
            .execute(&mut *tx)
            .await
            .map_err(error::ErrorInternalServerError)?;
    }
    tx.commit().await.map_err(error::ErrorInternalServerError)?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "order_id": order_id, "total_cents": total })))
}
