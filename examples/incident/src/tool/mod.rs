//! Back-end clients shared by the notifier.

pub mod redis;
