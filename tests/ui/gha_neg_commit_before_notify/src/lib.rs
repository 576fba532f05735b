use sqlx::PgPool;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub enum ShipmentEvent {
    Dispatched { shipment_id: Uuid, carrier: String, tracking_no: String },
}

pub struct FulfillmentService {
    pool: PgPool,
    events: broadcast::Sender<ShipmentEvent>,
    label_printer: mpsc::Sender<Uuid>,
}

impl FulfillmentService {
    pub async fn dispatch(&self, shipment_id: Uuid, carrier: &str, tracking_no: &str) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;

        let order_id: Uuid = sqlx::query_scalar(
            "UPDATE shipments SET status = 'dispatched', carrier = $2, tracking_no = $3, dispatched_at = now() \
             WHERE id = $1 AND status = 'packed' RETURNING order_id",
        )
        .bind(shipment_id)
        .bind(carrier)
        .bind(tracking_no)
        .fetch_one(&mut *tx)
        .await?;

        sqlx::query("UPDATE orders SET status = 'shipped' WHERE id = $1")
            .bind(order_id)
            .execute(&mut *tx)
            .await?;

        tx.commit().await?;

        self.label_printer.send(shipment_id).await?;
        let _ = self.events.send(ShipmentEvent::Dispatched {
            shipment_id,
            carrier: carrier.to_owned(),
            tracking_no: tracking_no.to_owned(),
        });

        tracing::info!(%shipment_id, %order_id, "shipment dispatched");
        Ok(())
    }
}
