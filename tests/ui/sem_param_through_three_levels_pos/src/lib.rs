pub mod error;
pub mod handlers;
pub mod services;
