pub mod invoices;
pub mod queries;
