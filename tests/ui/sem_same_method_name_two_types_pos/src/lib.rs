pub mod auth;
pub mod db;
pub mod sessions;
pub mod users;
