use crate::{pricing, AppState};

#[derive(Debug, sqlx::FromRow)]
pub struct Line {
    pub description: String,
    pub unit_cents: i64,
    pub quantity: i32,
}

/// Sum of the lines, with the tax of the account's region applied.
pub async fn compute_total(state: &AppState, lines: &[Line]) -> Result<i64, sqlx::Error> {
    let subtotal: i64 = lines
        .iter()
        .map(|l| l.unit_cents * i64::from(l.quantity))
        .sum();
    pricing::apply_tax(&state.db, &state.default_region, subtotal).await
}
