//! The bottom layer, importing nothing else of the crate: spans and sources, the diagnostic
//! model, lint metadata and levels, the containment of our own bugs, and the shelf values are
//! packed on between stages.

pub(crate) mod diag;
#[macro_use]
pub(crate) mod ids;
pub(crate) mod internal;
pub(crate) mod lint;
pub(crate) mod shelf;
pub(crate) mod source;
