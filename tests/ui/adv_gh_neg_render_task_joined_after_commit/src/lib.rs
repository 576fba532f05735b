use std::{sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::watch;

pub struct PdfRenderer {
    pub template: String,
}

impl PdfRenderer {
    pub async fn render(
        &self,
        invoice_id: i64,
        lines: Vec<(String, i64)>,
    ) -> anyhow::Result<Vec<u8>> {
        let body = format!("{} #{invoice_id}: {} lines", self.template, lines.len());
        Ok(body.into_bytes())
    }
}

pub struct InvoiceService {
    db: PgPool,
    renderer: Arc<PdfRenderer>,
    shutdown: watch::Receiver<bool>,
}

impl InvoiceService {
    pub async fn finalize(&self, invoice_id: i64) -> anyhow::Result<Vec<u8>> {
        let mut tx = self.db.begin().await?;
        let lines: Vec<(String, i64)> = sqlx::query_as(
            "SELECT description, amount_cents FROM invoice_lines WHERE invoice_id = $1",
        )
        .bind(invoice_id)
        .fetch_all(&mut *tx)
        .await?;

        let renderer = Arc::clone(&self.renderer);
        let mut shutdown = self.shutdown.clone();
        let render = tokio::spawn(async move {
            tokio::select! {
                pdf = renderer.render(invoice_id, lines) => pdf,
                _ = shutdown.changed() => Err(anyhow::anyhow!("shutting down")),
                _ = tokio::time::sleep(Duration::from_secs(30)) => Err(anyhow::anyhow!("render timed out")),
            }
        });

        sqlx::query("UPDATE invoices SET status = 'finalized', finalized_at = now() WHERE id = $1")
            .bind(invoice_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;

        let pdf = render.await??;
        Ok(pdf)
    }
}
