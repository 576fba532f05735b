pub mod db;
pub mod export;
pub mod search;
