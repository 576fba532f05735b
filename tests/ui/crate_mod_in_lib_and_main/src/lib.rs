//! The feed worker as a library, for the integration tests.

pub mod cache;
