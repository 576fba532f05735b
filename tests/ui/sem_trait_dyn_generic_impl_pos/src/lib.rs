pub mod enrichers;
pub mod pipeline;

use r2d2_postgres::postgres::NoTls;
use r2d2_postgres::{postgres, PostgresConnectionManager};

pub type DbPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

#[derive(Debug, thiserror::Error)]
pub enum EnrichError {
    #[error(transparent)]
    Pool(#[from] r2d2::Error),
    #[error(transparent)]
    Db(#[from] postgres::Error),
    #[error("no exchange rate for {0}")]
    UnknownCurrency(String),
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub country: String,
    pub currency: String,
    pub total_minor: i64,
    pub total_eur_minor: Option<i64>,
    pub tax_minor: Option<i64>,
}

pub trait Enricher: Send + Sync {
    fn name(&self) -> &'static str;
    fn enrich(&self, pool: &DbPool, order: &mut Order) -> Result<(), EnrichError>;
}
