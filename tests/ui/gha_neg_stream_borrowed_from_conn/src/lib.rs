use std::collections::BTreeMap;

use chrono::NaiveDate;
use futures::TryStreamExt;
use rust_decimal::Decimal;
use sqlx::PgPool;

#[derive(Debug, sqlx::FromRow)]
struct SaleRow {
    region: String,
    sold_on: NaiveDate,
    net_amount: Decimal,
}

#[derive(Debug, Default)]
pub struct RegionTotals {
    pub orders: u64,
    pub revenue: Decimal,
    pub first_sale: Option<NaiveDate>,
}

pub struct SalesReportRepository {
    pool: PgPool,
}

impl SalesReportRepository {
    pub async fn revenue_by_region(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> sqlx::Result<BTreeMap<String, RegionTotals>> {
        let mut conn = self.pool.acquire().await?;

        sqlx::query("SET work_mem = '256MB'").execute(&mut *conn).await?;

        let mut sales = sqlx::query_as::<_, SaleRow>(
            "SELECT region, sold_on, net_amount FROM sales WHERE sold_on BETWEEN $1 AND $2 ORDER BY sold_on",
        )
        .bind(from)
        .bind(to)
        .fetch(&mut *conn);

        let mut totals: BTreeMap<String, RegionTotals> = BTreeMap::new();
        while let Some(sale) = sales.try_next().await? {
            let entry = totals.entry(sale.region).or_default();
            entry.orders += 1;
            entry.revenue += sale.net_amount;
            entry.first_sale.get_or_insert(sale.sold_on);
        }

        Ok(totals)
    }
}
