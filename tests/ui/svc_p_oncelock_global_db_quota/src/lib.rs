pub mod db;
pub mod quota;
pub mod uploads;
