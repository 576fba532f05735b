pub mod inventory;
pub mod orders;
pub mod stock;
