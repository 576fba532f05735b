pub mod lines;
pub mod repo;
