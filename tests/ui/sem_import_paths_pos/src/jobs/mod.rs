pub mod presence;
