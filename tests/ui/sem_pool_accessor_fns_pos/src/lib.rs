pub mod accounts;
pub mod db;
pub mod outbox;
