use std::{fmt::Write, sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::Semaphore;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ReportRow {
    region: String,
    orders: i64,
    revenue_cents: i64,
}

pub struct Exporter {
    db: PgPool,
    http: reqwest::Client,
    bucket_url: String,
    export_slots: Arc<Semaphore>,
}

impl Exporter {
    pub async fn export_report(&self, report_id: Uuid) -> anyhow::Result<()> {
        // at most a few exports at a time, they are heavy on the warehouse replica
        let _permit = self.export_slots.acquire().await?;
        let mut conn = self.db.acquire().await?;
        sqlx::query("SET application_name = 'report-exporter'")
            .execute(&mut *conn)
            .await?;
        let rows: Vec<ReportRow> = tokio::time::timeout(
            Duration::from_secs(90),
            sqlx::query_as(
                "SELECT region, orders, revenue_cents FROM report_lines WHERE report_id = $1",
            )
            .bind(report_id)
            .fetch_all(&mut *conn),
        )
        .await??;
        drop(conn);

        let mut csv = String::from("region,orders,revenue_cents\n");
        for row in &rows {
            writeln!(csv, "{},{},{}", row.region, row.orders, row.revenue_cents)?;
        }
        self.http
            .put(format!("{}/reports/{report_id}.csv", self.bucket_url))
            .body(csv)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }
}
