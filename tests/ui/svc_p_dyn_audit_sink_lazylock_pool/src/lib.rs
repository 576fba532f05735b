pub mod accounts;
pub mod audit;
pub mod db;
