// `spawn_blocking(..).await` runs its closure while the awaiting handler still holds `conn`: the
// closure's `pdf::render_with_history(&db, ..)` checks out again from the same r2d2 (diesel) pool.
use axum::{
    extract::{Path, State},
    http::StatusCode,
};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::schema::invoices;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

#[derive(Clone)]
pub struct AppState {
    pub db: DbPool,
}

#[derive(Queryable, Clone)]
pub struct Invoice {
    pub id: i32,
    pub customer_id: i32,
    pub total_cents: i64,
}

mod pdf {
    use super::{DbPool, Invoice};
    use crate::schema::payments;
    use diesel::prelude::*;

    pub fn render_with_history(pool: &DbPool, invoice: &Invoice) -> anyhow::Result<Vec<u8>> {
        let mut conn = pool.get()?;
        let paid: Vec<i64> = payments::table
            .filter(payments::invoice_id.eq(invoice.id))
            .select(payments::amount_cents)
            .load(&mut conn)?;
        Ok(format!("invoice {} total {} paid {:?}", invoice.id, invoice.total_cents, paid).into_bytes())
    }
}

fn internal<E: std::fmt::Display>(err: E) -> StatusCode {
    tracing::error!(%err, "invoice export failed");
    StatusCode::INTERNAL_SERVER_ERROR
}

pub async fn export_invoice(
    State(state): State<AppState>,
    Path(invoice_id): Path<i32>,
) -> Result<Vec<u8>, StatusCode> {
    let mut conn = state.db.get().map_err(internal)?;
    let invoice: Invoice = invoices::table.find(invoice_id).first(&mut conn).map_err(internal)?;
    let db = state.db.clone();
    let pdf = tokio::task::spawn_blocking(move || pdf::render_with_history(&db, &invoice)).await.map_err(internal)?.map_err(internal)?; //~ nested_checkout
    diesel::update(invoices::table.find(invoice_id))
        .set(invoices::exported.eq(true))
        .execute(&mut conn)
        .map_err(internal)?;
    Ok(pdf)
}
