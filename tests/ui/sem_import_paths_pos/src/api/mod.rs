pub mod profile;
mod util;
