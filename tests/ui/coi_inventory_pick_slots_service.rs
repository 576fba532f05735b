// Positive: InventoryService.pick_slots (Arc<tokio Semaphore>) and InventoryService.db (deadpool-postgres) are
// taken in opposite orders by two methods of one shared service: `reserve` holds an owned pick permit and then
// checks out db; `expire_holds` holds a db client and calls self.pick_slot(), which waits for a permit.
use std::{sync::Arc, time::Duration};

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
    Json, Router,
};
use deadpool_postgres::{Config, Pool, PoolError, Runtime};
use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::NoTls;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
enum InventoryError {
    #[error("insufficient stock for {0}")]
    OutOfStock(String),
    #[error("inventory service is shutting down")]
    ShuttingDown,
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Db(#[from] tokio_postgres::Error),
}

impl IntoResponse for InventoryError {
    fn into_response(self) -> Response {
        let status = match &self {
            InventoryError::OutOfStock(_) => StatusCode::CONFLICT,
            InventoryError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            InventoryError::Pool(_) | InventoryError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}

struct InventoryService {
    db: Pool,
    /// Pick robots on the warehouse floor; every physical stock movement needs one.
    pick_slots: Arc<Semaphore>,
}

#[derive(Debug, Deserialize)]
struct ReserveRequest {
    order_id: Uuid,
    sku: String,
    quantity: i32,
}

#[derive(Debug, Serialize)]
struct Reservation {
    hold_id: i64,
    order_id: Uuid,
    sku: String,
    quantity: i32,
}

impl InventoryService {
    async fn reserve(&self, req: &ReserveRequest) -> Result<Reservation, InventoryError> {
        let _slot = self.pick_slots.clone().acquire_owned().await.map_err(|_| InventoryError::ShuttingDown)?;
        let mut client = self.db.get().await?; //~ checkout_order_inversion
        let tx = client.transaction().await?;

        let updated = tx
            .execute(
                "UPDATE stock SET available = available - $2 WHERE sku = $1 AND available >= $2",
                &[&req.sku, &req.quantity],
            )
            .await?;
        if updated == 0 {
            return Err(InventoryError::OutOfStock(req.sku.clone()));
        }

        let row = tx
            .query_one(
                "INSERT INTO stock_holds (order_id, sku, quantity, expires_at) \
                 VALUES ($1, $2, $3, now() + interval '15 minutes') RETURNING id",
                &[&req.order_id, &req.sku, &req.quantity],
            )
            .await?;
        tx.commit().await?;

        Ok(Reservation {
            hold_id: row.get(0),
            order_id: req.order_id,
            sku: req.sku.clone(),
            quantity: req.quantity,
        })
    }

    async fn pick_slot(&self) -> Result<OwnedSemaphorePermit, InventoryError> {
        self.pick_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| InventoryError::ShuttingDown)
    }

    async fn expire_holds(&self) -> Result<usize, InventoryError> {
        let mut client = self.db.get().await?;
        let tx = client.transaction().await?;

        let expired = tx
            .query(
                "DELETE FROM stock_holds WHERE expires_at < now() RETURNING sku, quantity",
                &[],
            )
            .await?;

        for row in &expired {
            let sku: String = row.get("sku");
            let quantity: i32 = row.get("quantity");
            // Putting items back on the shelf is a physical move, so it needs a pick robot too.
            let _slot = self.pick_slot().await?;
            tx.execute(
                "UPDATE stock SET available = available + $2 WHERE sku = $1",
                &[&sku, &quantity],
            )
            .await?;
        }

        tx.commit().await?;
        Ok(expired.len())
    }
}

async fn reserve_stock(
    State(service): State<Arc<InventoryService>>,
    Json(req): Json<ReserveRequest>,
) -> Result<Json<Reservation>, InventoryError> {
    Ok(Json(service.reserve(&req).await?))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut cfg = Config::new();
    cfg.url = Some(std::env::var("DATABASE_URL")?);
    let db = cfg.create_pool(Some(Runtime::Tokio1), NoTls)?; //~ unbounded_checkout_wait

    let service = Arc::new(InventoryService {
        db,
        pick_slots: Arc::new(Semaphore::new(6)),
    });

    let expirer = Arc::clone(&service);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        loop {
            tick.tick().await;
            match expirer.expire_holds().await {
                Ok(0) => {}
                Ok(n) => println!("released {n} expired stock holds"),
                Err(err) => eprintln!("expiring stock holds failed: {err}"),
            }
        }
    });

    let app = Router::new()
        .route("/reservations", post(reserve_stock))
        .with_state(service);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
