//! Invoices, payments and the outbox of the billing service. No HTTP in here.

pub mod db;
pub mod error;
pub mod invoices;
pub mod notify;
pub mod payments;

pub use crate::db::{Database, DbConfig};
pub use crate::error::BillingError;
pub use crate::invoices::{Invoice, InvoiceRepo, InvoiceStatus, LineItem};
