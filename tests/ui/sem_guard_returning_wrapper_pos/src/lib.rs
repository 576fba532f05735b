pub mod acl;
pub mod db;
pub mod handlers;
