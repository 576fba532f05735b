use std::collections::HashSet;

pub struct CartLine {
    pub sku: String,
    pub qty: i32,
    pub unit_cents: i64,
}

pub trait PriceRule: Send + Sync {
    /// Returns the new unit price for the line.
    fn apply(&self, line: &CartLine) -> i64;
}

pub struct BulkDiscount {
    pub min_qty: i32,
    pub pct: i64,
}

impl PriceRule for BulkDiscount {
    fn apply(&self, line: &CartLine) -> i64 {
        if line.qty >= self.min_qty {
            line.unit_cents * (100 - self.pct) / 100
        } else {
            line.unit_cents
        }
    }
}

pub struct Clearance {
    pub skus: HashSet<String>,
}

impl PriceRule for Clearance {
    fn apply(&self, line: &CartLine) -> i64 {
        if self.skus.contains(&line.sku) {
            line.unit_cents / 2
        } else {
            line.unit_cents
        }
    }
}
