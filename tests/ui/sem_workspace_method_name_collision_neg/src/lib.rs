pub mod buffers;
pub mod config;
pub mod ingest;
pub mod ledger;
pub mod ratelimit;
