pub mod articles;
pub mod db;
