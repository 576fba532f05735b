pub mod dashboard;
pub mod worker;
