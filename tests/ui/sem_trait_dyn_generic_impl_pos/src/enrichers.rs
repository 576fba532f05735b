use std::collections::HashMap;

use crate::{DbPool, EnrichError, Enricher, Order};

/// Looks the VAT rate up in the tax tables.
pub struct TaxEnricher;

impl Enricher for TaxEnricher {
    fn name(&self) -> &'static str {
        "tax"
    }

    fn enrich(&self, pool: &DbPool, order: &mut Order) -> Result<(), EnrichError> {
        let mut conn = pool.get()?;
        let row = conn.query_one(
            "SELECT rate_bp FROM vat_rates WHERE country = $1 AND valid_from <= now() ORDER BY valid_from DESC LIMIT 1",
            &[&order.country],
        )?;
        let rate_bp: i32 = row.get(0);
        order.tax_minor = Some(order.total_minor * i64::from(rate_bp) / 10_000);
        Ok(())
    }
}

/// Converts to EUR with the rates loaded at start-up.
pub struct CurrencyEnricher {
    pub rates_to_eur: HashMap<String, f64>,
}

impl Enricher for CurrencyEnricher {
    fn name(&self) -> &'static str {
        "currency"
    }

    fn enrich(&self, _pool: &DbPool, order: &mut Order) -> Result<(), EnrichError> {
        let rate = self
            .rates_to_eur
            .get(&order.currency)
            .ok_or_else(|| EnrichError::UnknownCurrency(order.currency.clone()))?;
        order.total_eur_minor = Some((order.total_minor as f64 * rate).round() as i64);
        Ok(())
    }
}
