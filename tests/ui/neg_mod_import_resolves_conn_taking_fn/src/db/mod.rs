pub mod in_tx;
pub mod pooled;

#[derive(Debug, sqlx::FromRow)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub slug: String,
}
