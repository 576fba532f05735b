//! The only place syn and proc-macro2 are named: files parsed and lowered to the plain-data IR,
//! workspace `macro_rules!` expanded, allow comments found.

pub(crate) mod allows;
mod lower;
pub(crate) mod macro_rules;
pub(crate) mod parse;
