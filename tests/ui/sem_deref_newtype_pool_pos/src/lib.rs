pub mod database;
pub mod subscriptions;
